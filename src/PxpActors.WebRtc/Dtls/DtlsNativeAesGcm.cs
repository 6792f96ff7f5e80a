using System.Security.Cryptography;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl;

namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// AES-GCM record protection (RFC 5288) through the platform's <see cref="AesGcm"/> instead of
/// BouncyCastle's managed GCM: a data-channel record costs about a quarter of the CPU. One instance per
/// direction, as BouncyCastle asks: the key once, then a nonce and additional data per record.
/// </summary>
internal sealed class DtlsNativeAesGcm(bool encrypt) : TlsAeadCipherImpl
{
    private const int TagSize = 16;
    private AesGcm? _aes;
    private byte[] _nonce = [];
    private byte[]? _additionalData;

    public static bool IsAvailable => AesGcm.IsSupported;

    public void SetKey(byte[] key, int keyOff, int keyLen) => SetKey(key.AsSpan(keyOff, keyLen));

    // BouncyCastle never disposes a cipher: the AesGcm's native key is freed by its finalizer.
    public void SetKey(ReadOnlySpan<byte> key)
    {
        _aes?.Dispose();
        _aes = new AesGcm(key, TagSize);
    }

    /// <summary>Each record brings its own nonce and additional data through <see cref="Init"/>: nothing to reset.</summary>
    public void Reset()
    {
    }

    public void Init(byte[] nonce, int macSize, byte[] additionalData)
    {
        if (macSize != TagSize) throw new TlsFatalAlert(AlertDescription.internal_error, $"GCM tag of {macSize} bytes");
        _nonce = nonce;
        _additionalData = additionalData;
    }

    public int GetOutputSize(int inputLength) => encrypt ? inputLength + TagSize : inputLength - TagSize;

    public int DoFinal(byte[] input, int inputOffset, int inputLength, byte[] output, int outputOffset) =>
        DoFinal(_additionalData, input, inputOffset, inputLength, output, outputOffset);

    public int DoFinal(byte[]? additionalData, byte[] input, int inputOffset, int inputLength, byte[] output, int outputOffset)
    {
        var aes = _aes ?? throw new TlsFatalAlert(AlertDescription.internal_error, "GCM key not set");
        var associated = additionalData ?? [];
        var source = input.AsSpan(inputOffset, inputLength);
        // AesGcm takes the same buffer in place, but not one that overlaps at a different offset.
        if (ReferenceEquals(input, output) && inputOffset != outputOffset) source = source.ToArray();
        if (encrypt)
        {
            aes.Encrypt(_nonce, source, output.AsSpan(outputOffset, inputLength), output.AsSpan(outputOffset + inputLength, TagSize), associated);
            return inputLength + TagSize;
        }
        if (inputLength < TagSize) throw new TlsFatalAlert(AlertDescription.bad_record_mac);
        var plainLength = inputLength - TagSize;
        try
        {
            aes.Decrypt(_nonce, source[..plainLength], source.Slice(plainLength, TagSize), output.AsSpan(outputOffset, plainLength), associated);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new TlsFatalAlert(AlertDescription.bad_record_mac);
        }
        return plainLength;
    }
}
