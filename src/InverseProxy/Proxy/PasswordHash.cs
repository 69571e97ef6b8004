using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace InverseProxy.Proxy;

/// <summary>
/// The stored form of a proxy user's password: <c>pbkdf2-sha256$ITERATIONS$SALT_B64$HASH_B64</c>, PBKDF2 with
/// HMAC-SHA-256 (RFC 8018 §5.2), a 16-byte random salt and a 32-byte hash, compared in fixed time.
/// </summary>
internal static class PasswordHash
{
    public const string Scheme = "pbkdf2-sha256";
    public const int Iterations = 210_000;
    public const int MinIterations = 100_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Create(string password)
    {
        byte[] salt = RandomNumberGenerator.GetBytes(SaltBytes);
        byte[] hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Join('$', Scheme, Iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>True when <paramref name="stored"/> is a well-formed hash with at least <see cref="MinIterations"/> iterations.</summary>
    public static bool TryParse(string stored, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = hash = [];
        string[] parts = stored.Split('$');
        try
        {
            if (parts.Length != 4 || parts[0] != Scheme
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations < MinIterations)
            {
                return false;
            }
            salt = Convert.FromBase64String(parts[2]);
            hash = Convert.FromBase64String(parts[3]);
            return salt.Length >= SaltBytes && hash.Length >= HashBytes;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static bool Verify(string password, int iterations, byte[] salt, byte[] hash)
    {
        byte[] derived = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, hash.Length);
        return CryptographicOperations.FixedTimeEquals(derived, hash);
    }
}
