using System.Security.Cryptography;

namespace PxpActors.WebRtc.Ice;

/// <summary>
/// An agent's <c>ice-ufrag</c> and <c>ice-pwd</c> (RFC 8839 §5.4): ufrag of 4..256 and password of 22..256
/// ice-chars (ALPHA / DIGIT / "+" / "/").
/// </summary>
public sealed record IceCredentials
{
    /// <summary>Credentials of <paramref name="ufrag"/> and <paramref name="password"/>, checked against RFC 8839's lengths and characters.</summary>
    public IceCredentials(string ufrag, string password)
    {
        if (!IsIceChars(ufrag, 4)) throw new IceFormatException($"An ice-ufrag is 4..256 ice-chars; got \"{ufrag}\".");
        if (!IsIceChars(password, 22)) throw new IceFormatException("An ice-pwd is 22..256 ice-chars.");
        Ufrag = ufrag;
        Password = password;
    }

    /// <summary>The username fragment.</summary>
    public string Ufrag { get; }
    /// <summary>The password.</summary>
    public string Password { get; }

    /// <summary>Fresh random credentials: 8-character ufrag, 24-character password (~144 bits).</summary>
    public static IceCredentials Generate() => new(RandomIceChars(8), RandomIceChars(24));

    /// <inheritdoc/>
    public override string ToString() => $"ufrag {Ufrag}";

    private const string IceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private static string RandomIceChars(int length) => RandomNumberGenerator.GetString(IceChars, length);

    private static bool IsIceChars(string? value, int minLength) =>
        value is not null && value.Length >= minLength && value.Length <= 256 && value.All(c => IceChars.Contains(c));
}
