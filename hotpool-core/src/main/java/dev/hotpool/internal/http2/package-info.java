/**
 * HTTP/2's wire layer: frames ({@code FrameReader}, {@code FrameWriter}, {@code Frame}), HPACK ({@code HpackDecoder},
 * {@code HpackEncoder}, the static table, the Huffman code of RFC 7541 Appendix B), the joining of a field block's
 * fragments ({@code FieldBlock}), the checks of a response's fields ({@code ResponseFields}) and the protocol's errors
 * ({@code Http2Exception}, {@code ErrorCode}). No connection state: streams, flow control and SETTINGS handling are the
 * connection's. Not API. Depends on the API package and on {@code internal.http}'s token table only.
 */
package dev.hotpool.internal.http2;
