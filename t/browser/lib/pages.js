// SPDX-License-Identifier: Apache-2.0
// Shared bits of the page and flow tests: what the built-in pages say in each language,
// httpd configuration snippets, and small DOM/colour helpers.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

// Visible text of the built-in pages. Headings, titles and button labels are matched
// exactly; longer sentences by a distinctive part.
const TEXT = {
    en: {
        locale: 'en-US',
        titles: { signin: 'Sign In', signout: 'Sign Out', 'verify-request': 'Verify Request',
                  error: 'Error' },
        signinWith: (name) => `Sign in with ${name}`,
        or: 'or',
        emailLabel: 'Email',
        usernameLabel: 'Username',
        passwordLabel: 'Password',
        signoutHeading: 'Sign out',
        signoutQuestion: /really want to sign out\?/,
        signoutButton: 'Sign out',
        signoutEverywhere: 'Sign out everywhere',
        verifyHeading: 'Check your email',
        verifyText: /sent a sign-in link to your email address/,
        signinButton: 'Sign in',
        errors: {
            Configuration: { heading: 'Server error', text: /not configured correctly/ },
            AccessDenied: { heading: 'Access denied', text: /not allowed to sign in/ },
            Verification: { heading: 'Unable to sign in', text: /not valid any more/ },
            Default: { heading: 'Error', text: /Something went wrong/ },
        },
        banners: {
            retry: 'Please try to sign in with a different account.',
            notLinked: 'To prove it is you, sign in with the account you used the first time.',
            email: 'We could not send the sign-in email.',
            credentials: 'Sign-in failed. Please check that the details you entered are correct.',
            session: 'Please sign in to see this page.',
            default: 'Sign-in did not work.',
        },
    },
    ko: {
        locale: 'ko-KR',
        titles: { signin: '로그인', signout: '로그아웃', 'verify-request': '이메일 확인',
                  error: '오류' },
        signinWith: (name) => `${name}(으)로 로그인`,
        or: '또는',
        emailLabel: '이메일',
        usernameLabel: '사용자 이름',
        passwordLabel: '비밀번호',
        signoutHeading: '로그아웃',
        signoutQuestion: /정말 로그아웃하시겠습니까\?/,
        signoutButton: '로그아웃',
        signoutEverywhere: '모든 기기에서 로그아웃',
        verifyHeading: '이메일을 확인하세요',
        verifyText: /로그인 링크를 보냈습니다/,
        signinButton: '로그인',
        errors: {
            Configuration: { heading: '서버 오류', text: /서버 구성에 문제가 있습니다/ },
            AccessDenied: { heading: '접근 거부', text: /로그인할 수 없습니다/ },
            Verification: { heading: '로그인할 수 없습니다', text: /더 이상 유효하지 않습니다/ },
            Default: { heading: '오류', text: /문제가 발생했습니다/ },
        },
        banners: {
            retry: '다른 계정으로 로그인해 보세요.',
            notLinked: '본인 확인을 위해 처음 사용하셨던 계정으로 로그인하세요.',
            email: '로그인 이메일을 보내지 못했습니다.',
            credentials: '로그인에 실패했습니다. 입력하신 정보가 맞는지 확인하세요.',
            session: '이 페이지를 보려면 로그인하세요.',
            default: '로그인하지 못했습니다.',
        },
    },
};

// Sign-in page error codes (SPEC §3.1) and which message each shows.
const SIGNIN_ERRORS = {
    Signin: 'retry',
    OAuthSignin: 'retry',
    OAuthCallback: 'retry',
    OAuthCreateAccount: 'retry',
    EmailCreateAccount: 'retry',
    Callback: 'retry',
    OAuthAccountNotLinked: 'notLinked',
    EmailSignin: 'email',
    CredentialsSignin: 'credentials',
    SessionRequired: 'session',
    Default: 'default',
    SomethingUnknown: 'default',
};

// Modules for a protected /private/ that shows what the backend received (mod_include),
// `Require valid-user` (mod_authz_user) and the e-mail provider's token store (mod_dbd).
const MODULES = {
    include: ['include_module', 'mod_include.so'],
    dir: ['dir_module', 'mod_dir.so'],
    authzUser: ['authz_user_module', 'mod_authz_user.so'],
    dbd: ['dbd_module', 'mod_dbd.so'],
};

// An SQLite file for mod_dbd in a directory the httpd children (nobody) can write.
function dbdConf(dir) {
    const db = path.join(dir, 'db');
    fs.mkdirSync(db, { recursive: true });
    fs.chmodSync(db, 0o777);
    return ['NextAuthDatabase dbd', 'DBDriver sqlite3',
        `DBDParams "${path.join(db, 'nextauth.db')}"`].join('\n');
}

// The protected location whose page echoes the identity headers and REMOTE_USER.
const PRIVATE_CONF = [
    '<Location /private/>',
    '    AuthType NextAuth',
    '    Require valid-user',
    '    Options +Includes',
    '    AddOutputFilter INCLUDES .shtml',
    '    DirectoryIndex index.shtml',
    '</Location>',
].join('\n');

const PRIVATE_PAGE = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><title>Private</title>',
    '<style>body{font-family:sans-serif;margin:2rem}dt{font-weight:bold}</style></head>',
    '<body><h1>Private area</h1><dl>',
    ...['EMAIL', 'NAME', 'SUB', 'PROVIDER'].map((h) =>
        `<dt>X-NextAuth-${h[0]}${h.slice(1).toLowerCase()}</dt>` +
        `<dd id="${h.toLowerCase()}">` +
        `<!--#echo encoding="entity" var="HTTP_X_NEXTAUTH_${h}" --></dd>`),
    '<dt>REMOTE_USER</dt>',
    '<dd id="remote-user"><!--#echo encoding="entity" var="REMOTE_USER" --></dd>',
    '<dt>AUTH_TYPE</dt><dd id="auth-type"><!--#echo encoding="entity" var="AUTH_TYPE" --></dd>',
    '</dl></body></html>',
    '',
].join('\n');

/** Add a user to the htpasswd file of a test httpd dir (bcrypt). */
function addUser(dir, name, password) {
    execFileSync('htpasswd', ['-bB', path.join(dir, 'users.htpasswd'), name, password],
        { stdio: 'pipe' });
}

function parseRgb(css) {
    const m = /rgba?\(\s*(\d+),\s*(\d+),\s*(\d+)/.exec(css || '');
    if (!m) throw new Error(`not an rgb() colour: ${css}`);
    return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** Relative luminance 0..1 of a computed CSS colour. */
function luminance(css) {
    const [r, g, b] = parseRgb(css).map((c) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** "#ff5500" → "rgb(255, 85, 0)", as getComputedStyle reports it. */
function hexToRgb(hex) {
    let h = hex.replace('#', '');
    if (h.length === 3) h = h.split('').map((c) => c + c).join('');
    const n = parseInt(h, 16);
    return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}

/** Computed colours of the page that show its theme. */
function themeColours(page) {
    return page.evaluate(() => {
        const cs = (sel, prop) => {
            const el = document.querySelector(sel);
            return el ? getComputedStyle(el)[prop] : null;
        };
        return {
            body: cs('body', 'backgroundColor'),
            card: cs('.card', 'backgroundColor'),
            heading: cs('h1', 'color') || cs('label', 'color'),
        };
    });
}

module.exports = {
    TEXT, SIGNIN_ERRORS, MODULES, PRIVATE_CONF, PRIVATE_PAGE,
    dbdConf, addUser, parseRgb, luminance, hexToRgb, themeColours,
};
