// next-auth v4 with the same credentials user as mod_nextauth's htpasswd provider
// (bench/run.sh writes both), JWT sessions and the same secret (NEXTAUTH_SECRET).
import NextAuth from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { timingSafeEqual } from "node:crypto";

const USER = process.env.BENCH_USER || "alice@example.com";
const PASS = process.env.BENCH_PASS || "wonderland";

function same(a, b) {
  const x = Buffer.from(String(a ?? ""));
  const y = Buffer.from(String(b));
  return x.length === y.length && timingSafeEqual(x, y);
}

export const authOptions = {
  secret: process.env.NEXTAUTH_SECRET,
  session: { strategy: "jwt" },
  providers: [
    CredentialsProvider({
      name: "Bench login",
      credentials: {
        username: { label: "Username", type: "text" },
        password: { label: "Password", type: "password" },
      },
      async authorize(credentials) {
        if (same(credentials?.username, USER) && same(credentials?.password, PASS))
          return { id: USER, email: USER, name: USER };
        return null;
      },
    }),
  ],
};

export default NextAuth(authOptions);
