/**
 * The Redis stream value type (t_stream.c of redis-server 7.4): {@link
 * dev.sluice.proxy.types.stream.RedisStream} with its entries, trimming and consumer groups, and
 * {@link dev.sluice.proxy.types.stream.StreamId} parsing. Commands are not here; they call these
 * classes and translate {@link dev.sluice.proxy.types.stream.StreamException} into error replies.
 *
 * <p>Where redis-server 7.0 (on which the behaviour was checked by hand and by a differential run)
 * and 7.4 differ, 7.4 is followed:
 *
 * <ul>
 *   <li>XADD "ms-*" when ms's sequence is exhausted: 7.4 says the ID is equal or smaller, 7.0 that
 *       the elements are too large (errno was not set).
 *   <li>XSETID below max-deleted-entry-id: refused by 7.4 only.
 *   <li>Consumers: 7.2+ records active-time apart from seen-time, creates the consumer of
 *       XREADGROUP / XCLAIM / XAUTOCLAIM before the work rather than on the first delivery, and
 *       shows active-time / inactive in XINFO.
 * </ul>
 *
 * <p>Redis after 7.4 (unstable) changed the lag: entries-read is kept counting from the group's
 * last ID rather than the delivered one, and a stream emptied by XDEL has lag 0. Not followed:
 * Sluice answers as 7.4.
 */
package dev.sluice.proxy.types.stream;
