namespace InverseProxy.Routing;

/// <summary>The configuration in force: one <see cref="ProxyConfig"/>, replaced whole by a reload.</summary>
internal sealed class LiveConfig
{
    private volatile ProxyConfig _current;

    public LiveConfig(ProxyConfig initial)
    {
        _current = initial;
    }

    public ProxyConfig Current => _current;

    public void Swap(ProxyConfig next) => _current = next;
}
