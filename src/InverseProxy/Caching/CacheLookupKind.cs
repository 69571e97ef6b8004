namespace InverseProxy.Caching;

internal enum CacheLookupKind
{
    /// <summary>Nothing stored matches the request.</summary>
    Miss,

    /// <summary>A stored response satisfies the request as it stands.</summary>
    Fresh,

    /// <summary>
    /// A stored response exists but is not fresh enough for this request: validate it, or serve it within its
    /// stale-while-revalidate or stale-if-error window.
    /// </summary>
    Stale,

    /// <summary>A stored response exists but the request or the response demands validation before any use.</summary>
    MustRevalidate,
}
