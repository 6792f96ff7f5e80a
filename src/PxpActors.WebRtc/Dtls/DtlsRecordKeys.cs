using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl;

namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// The AES-GCM keys and implicit nonces (RFC 5288 section 3: the 4-byte salt) of one DTLS 1.2 epoch, seen from
/// our side: what we read with and what we write with. Derived exactly as BouncyCastle derives its own cipher's
/// (RFC 5246 section 6.3 key block: client key, server key, client IV, server IV), from the same security
/// parameters at the moment it creates that cipher; the master secret is gone once the handshake returns.
/// </summary>
internal sealed record DtlsRecordKeys(byte[] ReadKey, byte[] ReadSalt, byte[] WriteKey, byte[] WriteSalt)
{
    /// <summary>RFC 5288: the implicit part of the GCM nonce; the record carries the other 8 bytes.</summary>
    public const int SaltLength = 4;

    /// <summary>
    /// The keys of the cipher BouncyCastle is creating, or null when this path does not apply: not DTLS 1.2, or a
    /// connection ID (RFC 9146) changes the record layout.
    /// </summary>
    public static DtlsRecordKeys? Derive(TlsCryptoParameters parameters, int keySize)
    {
        var security = parameters.SecurityParameters;
        if (!ProtocolVersion.DTLSv12.Equals(security.NegotiatedVersion)) return null;
        if (security.ConnectionIDPeer is { Length: > 0 } || security.ConnectionIDLocal is { Length: > 0 }) return null;
        var block = new byte[2 * keySize + 2 * SaltLength];
        TlsImplUtilities.CalculateKeyBlock(parameters, block);
        var clientKey = block[..keySize];
        var serverKey = block[keySize..(2 * keySize)];
        var clientSalt = block[(2 * keySize)..(2 * keySize + SaltLength)];
        var serverSalt = block[(2 * keySize + SaltLength)..];
        Array.Clear(block);
        return parameters.IsServer
            ? new DtlsRecordKeys(clientKey, clientSalt, serverKey, serverSalt)
            : new DtlsRecordKeys(serverKey, serverSalt, clientKey, clientSalt);
    }
}
