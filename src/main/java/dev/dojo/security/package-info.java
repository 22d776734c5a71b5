/**
 * Who may do what: API keys ({@code api_key}, the table this package owns) and their scopes, the
 * bearer-key authentication in Spring Security's filter chain, the rule that says which scope each
 * route needs, anonymous local mode, the start-up guard on the listen address, and the admin API for
 * keys and tenant quotas (whose rows belong to {@code queue}). A caller's tenant travels into every
 * query as a {@link dev.dojo.queue.TenantScope}; no job of another tenant is ever loaded.
 */
package dev.dojo.security;
