/* SPDX-License-Identifier: Apache-2.0
 * Copyright 2026 the mod_nextauth authors */
#include "na_i18n.h"

/* Korean (한국어). */
const na_catalog_t na_catalog_ko = {
    "ko",
    {
        [NA_MSG_TITLE_SIGNIN] = "로그인",
        [NA_MSG_TITLE_SIGNOUT] = "로그아웃",
        [NA_MSG_TITLE_VERIFY] = "이메일 확인",
        [NA_MSG_TITLE_ERROR] = "오류",
        [NA_MSG_SIGNIN_WITH] = "{name}(으)로 로그인",
        [NA_MSG_EMAIL_LABEL] = "이메일",
        [NA_MSG_EMAIL_PLACEHOLDER] = "email@example.com",
        [NA_MSG_USERNAME_LABEL] = "사용자 이름",
        [NA_MSG_PASSWORD_LABEL] = "비밀번호",
        [NA_MSG_OR] = "또는",
        [NA_MSG_SIGNOUT_HEADING] = "로그아웃",
        [NA_MSG_SIGNOUT_QUESTION] = "정말 로그아웃하시겠습니까?",
        [NA_MSG_SIGNOUT_BUTTON] = "로그아웃",
        [NA_MSG_VERIFY_HEADING] = "이메일을 확인하세요",
        [NA_MSG_VERIFY_TEXT] =
            "입력하신 이메일 주소로 로그인 링크를 보냈습니다.",
        [NA_MSG_SIGNIN_BUTTON] = "로그인",
        [NA_MSG_ERROR_CONFIG_HEADING] = "서버 오류",
        [NA_MSG_ERROR_CONFIG_TEXT] = "서버 구성에 문제가 있습니다.",
        [NA_MSG_ERROR_CONFIG_HINT] =
            "관리자는 서버 로그에서 자세한 내용을 확인할 수 있습니다.",
        [NA_MSG_ERROR_DENIED_HEADING] = "접근 거부",
        [NA_MSG_ERROR_DENIED_TEXT] = "이 계정으로는 여기에 로그인할 수 없습니다.",
        [NA_MSG_ERROR_VERIFY_HEADING] = "로그인할 수 없습니다",
        [NA_MSG_ERROR_VERIFY_TEXT] =
            "이 로그인 링크는 더 이상 유효하지 않습니다.",
        [NA_MSG_ERROR_VERIFY_HINT] = "이미 사용되었거나 만료되었을 수 있습니다.",
        [NA_MSG_ERROR_DEFAULT_HEADING] = "오류",
        [NA_MSG_ERROR_DEFAULT_TEXT] = "문제가 발생했습니다. 돌아가기:",
        [NA_MSG_SIGNIN_ERR_RETRY] = "다른 계정으로 로그인해 보세요.",
        [NA_MSG_SIGNIN_ERR_NOT_LINKED] =
            "본인 확인을 위해 처음 사용하셨던 계정으로 로그인하세요.",
        [NA_MSG_SIGNIN_ERR_EMAIL] = "로그인 이메일을 보내지 못했습니다.",
        [NA_MSG_SIGNIN_ERR_CREDENTIALS] =
            "로그인에 실패했습니다. 입력하신 정보가 맞는지 확인하세요.",
        [NA_MSG_SIGNIN_ERR_SESSION_REQUIRED] = "이 페이지를 보려면 로그인하세요.",
        [NA_MSG_SIGNIN_ERR_DEFAULT] = "로그인하지 못했습니다.",
        [NA_MSG_MAIL_SIGNIN_TO] = "{host}에 로그인",
        [NA_MSG_MAIL_IGNORE] = "이 이메일을 요청하지 않으셨다면 무시하셔도 됩니다.",
        [NA_MSG_CONFIRM_HEADING] = "로그인 확인",
        [NA_MSG_CONFIRM_QUESTION] = "{email} 계정으로 로그인하시겠습니까?",
        [NA_MSG_TITLE_RATE_LIMITED] = "요청이 너무 많습니다",
        [NA_MSG_RATE_LIMITED_HEADING] = "요청이 너무 많습니다",
        [NA_MSG_RATE_LIMITED_TEXT] = "로그인 시도가 너무 많았습니다.",
        [NA_MSG_RATE_LIMITED_WAIT_ONE] = "1분 정도 기다린 후 다시 시도하세요.",
        [NA_MSG_RATE_LIMITED_WAIT] = "{minutes}분 정도 기다린 후 다시 시도하세요.",
    }};
