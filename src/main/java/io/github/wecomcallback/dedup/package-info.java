/**
 * The guard against WeCom's retries: a delivery runs the application once, a retry during the run waits for its
 * outcome, a dead node's lease lapses so that a later retry runs it. In memory for one node
 * ({@code InMemoryDeliveryGuard}), with Redis in front for several ({@code RedisDeliveryGuard}). The filter
 * creates its guard from its init-parameters ({@code DeliveryGuards}); applications do not need these classes.
 */
package io.github.wecomcallback.dedup;
