/**
 * The stock WAR's application: {@link io.github.wecomcallback.gateway.ForwardServlet} forwards each verified,
 * decrypted callback to a backend in any language, signed in the Standard Webhooks format, and relays the
 * backend's answer (which the filter encrypts).
 */
package io.github.wecomcallback.gateway;
