namespace InverseProxy.Caching;

/// <summary>
/// Whether a response may be stored, decided from the heads alone so the caller knows whether to buffer the body.
/// <see cref="Reason"/> names the rule that refused it, or where the lifetime came from
/// (<c>s-maxage</c>, <c>max-age</c>, <c>expires</c>, <c>heuristic</c>, <c>ttl</c>). A value: every miss and
/// pass-through makes one.
/// </summary>
internal readonly record struct StoreDecision(bool IsStorable, string Reason, TimeSpan Lifetime, DateTimeOffset BornAt)
{
    /// <summary>The end of the freshness lifetime: the birth time plus the lifetime.</summary>
    public DateTimeOffset ExpiresAt => BornAt + Lifetime;

    public static StoreDecision NotStorable(string reason) => new(false, reason, TimeSpan.Zero, default);

    public static StoreDecision Storable(string lifetimeSource, TimeSpan lifetime, DateTimeOffset bornAt) =>
        new(true, lifetimeSource, lifetime, bornAt);

    public override string ToString() =>
        IsStorable ? $"Storable({Reason}, {Lifetime.TotalSeconds}s)" : $"NotStorable({Reason})";
}
