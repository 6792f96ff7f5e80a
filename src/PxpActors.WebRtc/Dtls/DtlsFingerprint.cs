using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// A certificate fingerprint as carried by SDP <c>a=fingerprint</c> (RFC 8122 section 5):
/// a hash function token and the digest of the DER certificate as colon-separated uppercase hex pairs,
/// e.g. <c>sha-256 AB:CD:…</c>. Parsing normalises hex to upper case so records compare by value.
/// </summary>
public sealed record DtlsFingerprint
{
    /// <summary>The hash function WebRTC endpoints use and require (RFC 8827 section 6.5).</summary>
    public const string Sha256 = "sha-256";

    private DtlsFingerprint(string algorithm, string value)
    {
        Algorithm = algorithm;
        Value = value;
    }

    /// <summary>Lower-case hash function token, e.g. <c>sha-256</c>.</summary>
    public string Algorithm { get; }

    /// <summary>Upper-case hex pairs separated by colons.</summary>
    public string Value { get; }

    /// <summary>
    /// True when we verify a certificate against this fingerprint: sha-256 or stronger. sha-1 is parsed but refused,
    /// as collisions for it can be made; every WebRTC stack sends sha-256 (RFC 8827 section 6.5 requires it).
    /// </summary>
    public bool IsVerifiable => DigestLength(Algorithm) >= 32;

    /// <summary>Fingerprint of a DER-encoded certificate with the given hash function.</summary>
    public static DtlsFingerprint Compute(ReadOnlySpan<byte> derCertificate, string algorithm = Sha256)
    {
        var normalized = algorithm.ToLowerInvariant();
        byte[] digest = normalized switch
        {
            "sha-256" => SHA256.HashData(derCertificate),
            "sha-384" => SHA384.HashData(derCertificate),
            "sha-512" => SHA512.HashData(derCertificate),
            _ => throw new NotSupportedException($"Fingerprint hash function '{algorithm}' is not supported."),
        };
        var pairs = Convert.ToHexString(digest).Chunk(2).Select(pair => new string(pair));
        return new DtlsFingerprint(normalized, string.Join(':', pairs));
    }

    /// <summary>True when <paramref name="derCertificate"/> hashes to this fingerprint.</summary>
    public bool Matches(ReadOnlySpan<byte> derCertificate) =>
        IsVerifiable && Compute(derCertificate, Algorithm) == this;

    /// <summary>Parses <c>hash-func SP hex-pairs</c>; throws <see cref="FormatException"/> when malformed.</summary>
    public static DtlsFingerprint Parse(string text) =>
        TryParse(text, out var fingerprint, out var error) ? fingerprint : throw new FormatException(error);

    /// <summary>Reads an SDP fingerprint ("sha-256 AB:CD:…"); false when <paramref name="text"/> is not one.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out DtlsFingerprint? fingerprint) =>
        TryParse(text, out fingerprint, out _);

    /// <summary>Parses <c>hash-func SP hex-pairs</c>, reporting why it is malformed when it is.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out DtlsFingerprint? fingerprint, out string error)
    {
        fingerprint = null;
        var space = text.IndexOf(' ');
        if (space <= 0 || space != text.LastIndexOf(' '))
        {
            error = $"Fingerprint '{text}' is not 'hash-function HEX:HEX:…'.";
            return false;
        }
        var algorithm = text[..space].ToLowerInvariant();
        var hex = text[(space + 1)..];
        if (algorithm.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '-')))
        {
            error = $"Fingerprint hash function '{algorithm}' is not a token.";
            return false;
        }
        var pairs = hex.Split(':');
        if (pairs.Any(pair => pair.Length != 2 || !pair.All(char.IsAsciiHexDigit)))
        {
            error = $"Fingerprint value '{hex}' is not colon-separated hex pairs.";
            return false;
        }
        var expectedLength = DigestLength(algorithm);
        if (expectedLength > 0 && pairs.Length != expectedLength)
        {
            error = $"A {algorithm} fingerprint has {expectedLength} bytes, not {pairs.Length}.";
            return false;
        }
        fingerprint = new DtlsFingerprint(algorithm, hex.ToUpperInvariant());
        error = "";
        return true;
    }

    /// <summary>The attribute value form: <c>sha-256 AB:CD:…</c>.</summary>
    public override string ToString() => $"{Algorithm} {Value}";

    private static int DigestLength(string algorithm) => algorithm switch
    {
        "sha-1" => 20,
        "sha-256" => 32,
        "sha-384" => 48,
        "sha-512" => 64,
        _ => 0,
    };
}
