namespace InverseProxy.Http;

/// <summary>
/// The least average rate a request body must keep up (as Kestrel's MinRequestBodyDataRate): counted from the body's
/// first read, checked once <see cref="Grace"/> has passed, each time more bytes are needed from the client.
/// <see cref="Off"/> when <see cref="BytesPerSecond"/> is 0.
/// </summary>
internal readonly record struct MinDataRate(long BytesPerSecond, TimeSpan Grace, TimeProvider? Time)
{
    public static MinDataRate Off => default;

    public bool IsOff => BytesPerSecond <= 0 || Time is null;

    /// <summary>True when <paramref name="bytes"/> read since <paramref name="startedTimestamp"/> fall short of the rate.</summary>
    public bool IsBehind(long startedTimestamp, long bytes)
    {
        var elapsed = Time!.GetElapsedTime(startedTimestamp);
        return elapsed > Grace && bytes < BytesPerSecond * elapsed.TotalSeconds;
    }
}
