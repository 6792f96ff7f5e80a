using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PxpActors.WebRtc.Stun;

/// <summary>The keys for MESSAGE-INTEGRITY (RFC 8489 §9): short-term (ICE) and long-term (STUN/TURN servers).</summary>
public static class StunCredentials
{
    /// <summary>Short-term key: the prepared password itself (ICE uses the peer's ice-pwd).</summary>
    public static byte[] ShortTermKey(string password) => Encoding.UTF8.GetBytes(PreparePassword(password));

    /// <summary>Long-term key: MD5(username ":" realm ":" password), password prepared.</summary>
    public static byte[] LongTermKey(string username, string realm, string password) =>
        MD5.HashData(Encoding.UTF8.GetBytes($"{username}:{realm}:{PreparePassword(password)}"));

    /// <summary>
    /// The mapping and normalisation steps of SASLprep / OpaqueString that matter in practice: characters
    /// "commonly mapped to nothing" are removed, non-ASCII spaces become U+0020, then NFKC. Control
    /// characters are refused.
    /// </summary>
    public static string PreparePassword(string password)
    {
        var mapped = new StringBuilder(password.Length);
        foreach (var ch in password)
        {
            if (IsMappedToNothing(ch)) continue;
            mapped.Append(ch != ' ' && char.GetUnicodeCategory(ch) == UnicodeCategory.SpaceSeparator ? ' ' : ch);
        }
        var normalized = mapped.ToString().Normalize(NormalizationForm.FormKC);
        foreach (var ch in normalized)
        {
            if (char.IsControl(ch))
                throw new ArgumentException("A STUN password must not contain control characters.", nameof(password));
        }
        return normalized;
    }

    // RFC 3454 table B.1.
    private static bool IsMappedToNothing(char ch) =>
        ch is '\u00AD' or '\u034F' or '\u1806' or '\u2060' or '\uFEFF'
        || ch is >= '\u180B' and <= '\u180D'
        || ch is >= '\u200B' and <= '\u200D'
        || ch is >= '\uFE00' and <= '\uFE0F';
}
