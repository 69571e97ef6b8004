using System.Security.Cryptography;
using System.Text;

namespace InverseProxy.Admin;

/// <summary>
/// Checks <c>Authorization: Bearer &lt;admin_token&gt;</c> (RFC 6750 §2.1). Both sides are hashed before the
/// constant-time comparison, so neither the token's bytes nor its length can be learnt from response times.
/// </summary>
internal static class AdminToken
{
    private const string Scheme = "Bearer ";

    /// <summary>Whether <paramref name="authorization"/> carries <paramref name="token"/>; true when no token is configured.</summary>
    public static bool Accepts(string token, string? authorization)
    {
        if (token.Length == 0)
        {
            return true;
        }
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var offered = SHA256.HashData(Encoding.UTF8.GetBytes(authorization[Scheme.Length..].Trim()));
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        return CryptographicOperations.FixedTimeEquals(offered, expected);
    }
}
