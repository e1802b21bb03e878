export default function Home() {
  return <p>mod_nextauth bench peer</p>;
}
