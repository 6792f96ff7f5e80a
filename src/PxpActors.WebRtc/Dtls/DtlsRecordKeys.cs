using System.Security.Cryptography;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl;

namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// The AES-GCM key and implicit nonce (RFC 5288 section 3: the 4-byte salt) our side of one DTLS 1.2 epoch reads
/// with. Derived exactly as BouncyCastle derives its own cipher's (RFC 5246 section 6.3 key block: client key, server
/// key, client IV, server IV), from the same security parameters at the moment it creates that cipher; the master
/// secret is gone once the handshake returns. Our writes stay with BouncyCastle, so the write key is not kept.
/// Whoever takes the keys over zeroes them (<see cref="Clear"/>).
/// </summary>
internal sealed class DtlsRecordKeys(byte[] readKey, byte[] readSalt)
{
    /// <summary>RFC 5288: the implicit part of the GCM nonce; the record carries the other 8 bytes.</summary>
    public const int SaltLength = 4;

    public byte[] ReadKey { get; } = readKey;

    public byte[] ReadSalt { get; } = readSalt;

    /// <summary>
    /// The read key of the cipher BouncyCastle is creating, or null when this path does not apply: not DTLS 1.2, or a
    /// connection ID (RFC 9146) changes the record layout.
    /// </summary>
    public static DtlsRecordKeys? Derive(TlsCryptoParameters parameters, int keySize)
    {
        var security = parameters.SecurityParameters;
        if (!ProtocolVersion.DTLSv12.Equals(security.NegotiatedVersion)) return null;
        if (security.ConnectionIDPeer is { Length: > 0 } || security.ConnectionIDLocal is { Length: > 0 }) return null;
        var block = new byte[2 * keySize + 2 * SaltLength];
        TlsImplUtilities.CalculateKeyBlock(parameters, block);
        // The peer writes with what we read with: the client's key and IV when we are the server.
        var keyAt = parameters.IsServer ? 0 : keySize;
        var saltAt = 2 * keySize + (parameters.IsServer ? 0 : SaltLength);
        var keys = new DtlsRecordKeys(block[keyAt..(keyAt + keySize)], block[saltAt..(saltAt + SaltLength)]);
        CryptographicOperations.ZeroMemory(block);
        return keys;
    }

    /// <summary>Zeroes the key and salt: once copied where they are used, or when they never will be.</summary>
    public void Clear()
    {
        CryptographicOperations.ZeroMemory(ReadKey);
        CryptographicOperations.ZeroMemory(ReadSalt);
    }
}
