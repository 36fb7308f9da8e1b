package dev.sluice.proxy.resp;

/**
 * The client sent more of an incomplete command than {@code client-query-buffer-limit} allows. As
 * Redis does, the connection is closed without a reply (the client is not reading one mid-command).
 *
 * @param held bytes held for the incomplete command
 * @param limit the limit in force
 */
public record QueryBufferLimitReached(long held, long limit) {}
