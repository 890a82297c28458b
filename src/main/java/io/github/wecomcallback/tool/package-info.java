/**
 * The simulator of the WeCom platform ({@code wecom-callback-tool.jar}): a command-line program, not an API.
 */
package io.github.wecomcallback.tool;
