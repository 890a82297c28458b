/**
 * {@link io.github.wecomcallback.servlet.WeComCallbackFilter}: verifies, decrypts and answers WeCom's callbacks
 * before the application servlet runs, and encrypts what it answers. Its init-parameters ({@code PARAM_*}) and
 * request attributes ({@code ATTRIBUTE_*}) are the contract; {@code BareErrorServlet} keeps the container's error
 * pages off the wire. {@code CallbackConfig} is the validated configuration, readable for diagnostics.
 */
package io.github.wecomcallback.servlet;
