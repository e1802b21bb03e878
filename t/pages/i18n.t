# Localisation of the built-in pages (issue 3 item 5; scenario default): the language
# comes from Accept-Language with q-values, English is the fallback for anything else
# (absent, unknown, q=0, '*', garbage, oversized), <html lang> says which one was chosen,
# and every page and message is translated. Vary: Accept-Language on every page.
use strict;
use warnings;
use utf8;

use Apache::Test qw(-withtestmore);
use Encode qw(decode_utf8);
use NextAuth::Test;

my $mark = log_mark();

sub page {
    my ($path, $accept) = @_;
    my $res = req(GET => url('default', $path),
                  defined $accept ? ['Accept-Language' => $accept] : []);
    return ($res, decode_utf8($res->content));
}

my @CASES = (
    [undef, 'en'], ['ko', 'ko'], ['ko-KR', 'ko'], ['KO-kr', 'ko'], [' ko ', 'ko'],
    ['en;q=0.1, ko;q=0.9', 'ko'], ['ko;q=0.9, en;q=0.1', 'ko'], ['en, ko', 'en'],
    ['ko, en', 'ko'], ['ko;q=0', 'en'], ['ko;q=0.0, en;q=0', 'en'], ['ko;q=0.000', 'en'],
    ['*', 'en'], ['*;q=1, ko;q=0.5', 'ko'], ['fr-FR, fr;q=0.9, ko;q=0.8', 'ko'],
    ['fr, de', 'en'], ['en-US,en;q=0.9,ko;q=0.8', 'en'], ['zh;q=1.0, ko;q=0.999', 'ko'],
    ['kor', 'en'], ['ko_KR', 'en'], ['!!!###', 'en'], [';;;,,,', 'en'], ['ko;q=abc', 'en'],
    ['ko;q=2', 'en'], ['ko;q=-1', 'en'], ['ko;q=', 'en'], [',ko', 'ko'], ['x' x 5000, 'en'],
    [join(',', ('fr') x 40) . ',ko', 'en'],    # ranges past the 32nd are not read
);
for my $case (@CASES) {
    my ($accept, $lang) = @$case;
    my $label = defined $accept ? (length $accept > 40 ? substr($accept, 0, 20)
                                   . '...' : "'$accept'") : '(none)';
    my ($res, $html) = page('/api/auth/signin', $accept);
    is($res->code, 200, "Accept-Language $label: 200");
    like($html, qr/^<!DOCTYPE html><html lang="$lang">/,
         "Accept-Language $label: <html lang=\"$lang\">");
    like($html, $lang eq 'ko' ? qr{<title>로그인</title>} : qr{<title>Sign In</title>},
         "Accept-Language $label: the $lang title");
}

# Every page, every message in Korean.
{
    my ($res, $html) = page('/api/auth/signin?error=CredentialsSignin', 'ko-KR,ko;q=0.9');
    like($html,
         qr{<div class="banner" role="alert"><p>로그인에 실패했습니다\. 입력하신 정보가 맞는지 확인하세요\.</p></div>},
         'ko signin: the CredentialsSignin banner');
    like($html, qr{>사용자 이름</label>.*>비밀번호</label>}s, 'ko signin: field labels');
    like($html, qr{<button id="submitButton" type="submit">Staff login\(으\)로 로그인</button>},
         'ko signin: the credentials button');
    like($html, qr{<span>GitHub\(으\)로 로그인</span>}, 'ko signin: the OAuth button');
    like($html, qr{<span>또는</span>}, 'ko signin: the divider');
    like($html, qr{>이메일</label>}, 'ko signin: the e-mail label');
    is_deeply([html_problems($res->content)], [], 'ko signin: well-formed UTF-8 page');
}
for my $code (qw(OAuthAccountNotLinked EmailSignin SessionRequired OAuthSignin Nonsense)) {
    my ($res, $html) = page("/api/auth/signin?error=$code", 'ko');
    my %want = (OAuthAccountNotLinked => '본인 확인을 위해 처음 사용하셨던 계정으로 로그인하세요.',
                EmailSignin => '로그인 이메일을 보내지 못했습니다.',
                SessionRequired => '이 페이지를 보려면 로그인하세요.',
                OAuthSignin => '다른 계정으로 로그인해 보세요.', Nonsense => '로그인하지 못했습니다.');
    like($html, qr{<p>\Q$want{$code}\E</p>}, "ko banner $code");
}
{
    my ($res, $html) = page('/api/auth/signout', 'ko');
    like($html, qr{<title>로그아웃</title>.*<h1>로그아웃</h1><p>정말 로그아웃하시겠습니까\?</p>.*>로그아웃</button>}s,
         'ko signout: title, heading, question, button');
    like($html, qr{<button id="everywhereButton" type="submit">모든 기기에서 로그아웃</button>},
         'ko signout: the sign-out-everywhere button');
    ($res, $html) = page('/api/auth/verify-request', 'ko');
    like($html, qr{<title>이메일 확인</title>.*<h1>이메일을 확인하세요</h1><p>입력하신 이메일 주소로 로그인 링크를 보냈습니다\.</p>}s,
         'ko verify-request');
}
for my $c (['Configuration', 500, '서버 오류', '서버 구성에 문제가 있습니다.'],
           ['AccessDenied', 403, '접근 거부', '이 계정으로는 여기에 로그인할 수 없습니다.'],
           ['Verification', 403, '로그인할 수 없습니다', '이 로그인 링크는 더 이상 유효하지 않습니다.'],
           ['Default', 200, '오류', '문제가 발생했습니다. 돌아가기:']) {
    my ($code, $status, $h1, $text) = @$c;
    my ($res, $html) = page("/api/auth/error?error=$code", 'ko');
    is($res->code, $status, "ko error $code: status $status, whatever the language");
    like($html,
         qr{<html\ lang="ko">.*<title>오류</title>.*
            <h1>\Q$h1\E</h1><div\ class="message"><p>\Q$text\E</p>}sx,
         "ko error $code: heading and message");
    like($html, qr{<a class="button" href="[^"]*/signin">로그인</a>},
         "ko error $code: Korean sign-in button")
        if $status == 403;
    like($res->header('Vary') // '', qr/Accept-Language/, "ko error $code: Vary: Accept-Language");
}

log_clean($mark);
done_testing();
