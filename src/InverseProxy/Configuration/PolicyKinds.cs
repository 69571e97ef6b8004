using System.Net;

namespace InverseProxy.Configuration;

/// <summary>Value syntaxes of the traffic policy keys (lists of words, of CIDRs), in the style of <see cref="OptionKinds"/>.</summary>
internal static class PolicyKinds
{
    public const string CidrExpectation = "must be an address or a CIDR like 10.0.0.0/8 or 2001:db8::/32";

    /// <summary>A comma-separated list taken as written; the validator decides what each item may be.</summary>
    public static OptionKey Words(string name, string summary, Func<ProxyOptions, List<string>> get, Action<ProxyOptions, List<string>> set)
    {
        return new(name, summary, o => string.Join(", ", get(o)), (o, raw, _) => set(o, [.. EndpointParsers.SplitList(raw)]));
    }

    /// <summary>A comma-separated list of CIDRs; a bare address is a network of one.</summary>
    public static OptionKey Networks(string name, string summary, Func<ProxyOptions, List<IPNetwork>> get, Action<ProxyOptions, List<IPNetwork>> set)
    {
        return new(name, summary, o => string.Join(", ", get(o)), (o, raw, f) =>
        {
            var parsed = new List<IPNetwork>();
            foreach (string item in EndpointParsers.SplitList(raw))
            {
                if (TryParseNetwork(item, out var network))
                {
                    parsed.Add(network);
                }
                else
                {
                    f.InvalidItem(item, CidrExpectation);
                }
            }
            set(o, parsed);
        });
    }

    public static OptionKey Rate(string name, string summary, Func<ProxyOptions, Proxy.Policy.RateLimit> get, Action<ProxyOptions, Proxy.Policy.RateLimit> set)
    {
        return new(name, summary, o => get(o).ToString(), (o, raw, f) =>
        {
            if (Proxy.Policy.RateLimit.TryParse(raw, out var limit))
            {
                set(o, limit);
            }
            else
            {
                f.Invalid(Proxy.Policy.RateLimit.Expectation);
            }
        });
    }

    public static bool TryParseNetwork(string text, out IPNetwork network)
    {
        if (IPNetwork.TryParse(text, out network))
        {
            return true;
        }
        if (IPAddress.TryParse(text, out var address))
        {
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }
        return false;
    }
}
