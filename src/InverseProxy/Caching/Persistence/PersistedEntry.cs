namespace InverseProxy.Caching.Persistence;

/// <summary>
/// One cache entry as the cache file holds it. <see cref="Head"/> is the stored response head in wire form
/// (status line and header fields, CRLF line ends, no blank line); <see cref="Body"/> is the de-chunked body.
/// <see cref="BornAt"/> is when the response was generated as far as Age is concerned (response time minus its
/// initial age, RFC 9111 §4.2.3); <see cref="ExpiresAt"/> is the end of its freshness lifetime.
/// </summary>
internal sealed record PersistedEntry(string Key, byte[] Head, byte[] Body, DateTimeOffset BornAt, DateTimeOffset ExpiresAt);
