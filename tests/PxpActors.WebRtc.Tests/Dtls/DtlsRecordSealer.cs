using System.Buffers.Binary;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace PxpActors.WebRtc.Tests.Dtls;

/// <summary>Seals DTLS 1.2 AES-GCM records with BouncyCastle's own GCM in the RFC 5288 / RFC 6347 layout, as a peer would.</summary>
internal static class DtlsRecordSealer
{
    public const byte ApplicationData = 23;

    /// <summary>One record: header, explicit nonce (epoch and sequence, as BouncyCastle writes it), ciphertext, tag.</summary>
    public static byte[] Seal(byte[] key, byte[] salt, byte[] plaintext, long sequence, ushort epoch = 1, byte type = ApplicationData)
    {
        var header = new byte[13];
        header[0] = type;
        header[1] = 0xfe;
        header[2] = 0xfd;
        BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(3), ((ulong)epoch << 48) | (ulong)sequence);
        var explicitNonce = header[3..11];
        var additionalData = new byte[13];
        header.AsSpan(3, 8).CopyTo(additionalData);
        header.AsSpan(0, 3).CopyTo(additionalData.AsSpan(8));
        BinaryPrimitives.WriteUInt16BigEndian(additionalData.AsSpan(11), (ushort)plaintext.Length);

        var gcm = new GcmBlockCipher(new AesEngine());
        gcm.Init(true, new AeadParameters(new KeyParameter(key), 128, [.. salt, .. explicitNonce], additionalData));
        var sealedBytes = new byte[gcm.GetOutputSize(plaintext.Length)];
        var n = gcm.ProcessBytes(plaintext, 0, plaintext.Length, sealedBytes, 0);
        gcm.DoFinal(sealedBytes, n);

        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(11), (ushort)(8 + sealedBytes.Length));
        return [.. header, .. explicitNonce, .. sealedBytes];
    }
}
