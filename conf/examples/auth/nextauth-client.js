// A small client for mod_nextauth's REST routes, the Apache equivalent of the
// getProviders / getCsrfToken / signIn helpers of next-auth/react. No framework needed.
"use strict";

const NextAuthClient = {
  basePath: "/api/auth",

  async getProviders() {
    const res = await fetch(`${this.basePath}/providers`, { credentials: "same-origin" });
    if (!res.ok) throw new Error(`providers: HTTP ${res.status}`);
    return res.json();
  },

  async getCsrfToken() {
    const res = await fetch(`${this.basePath}/csrf`, { credentials: "same-origin" });
    if (!res.ok) throw new Error(`csrf: HTTP ${res.status}`);
    return (await res.json()).csrfToken;
  },

  // Query parameters of this page, e.g. ?error=CredentialsSignin&callbackUrl=...
  param(name) {
    return new URLSearchParams(window.location.search).get(name);
  },

  // <form method=POST action=...> with hidden fields; values go through the DOM, never
  // through innerHTML.
  form(action, fields) {
    const form = document.createElement("form");
    form.method = "POST";
    form.action = action;
    for (const [name, value] of Object.entries(fields)) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      form.appendChild(input);
    }
    return form;
  },

  input(name, type, label) {
    const wrap = document.createElement("label");
    wrap.textContent = label;
    const input = document.createElement("input");
    input.name = name;
    input.type = type;
    input.required = true;
    wrap.appendChild(input);
    return wrap;
  },

  button(text) {
    const button = document.createElement("button");
    button.type = "submit";
    button.textContent = text;
    return button;
  },
};
