using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Tls;
using PxpActors.WebRtc.Dtls;

namespace PxpActors.WebRtc.Tests.Dtls;

/// <summary>The platform AES-GCM record cipher against BouncyCastle's own GCM, byte for byte.</summary>
public sealed class DtlsNativeAesGcmTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(16);
    private static readonly byte[] Nonce = RandomNumberGenerator.GetBytes(12);
    private static readonly byte[] Header = RandomNumberGenerator.GetBytes(13);

    private static byte[] BouncyCastle(bool encrypt, byte[] input)
    {
        var gcm = new GcmBlockCipher(new AesEngine());
        gcm.Init(encrypt, new AeadParameters(new KeyParameter(Key), 128, Nonce, Header));
        var output = new byte[gcm.GetOutputSize(input.Length)];
        var n = gcm.ProcessBytes(input, 0, input.Length, output, 0);
        gcm.DoFinal(output, n);
        return output;
    }

    private static DtlsNativeAesGcm Native(bool encrypt)
    {
        var cipher = new DtlsNativeAesGcm(encrypt);
        cipher.SetKey(Key, 0, Key.Length);
        cipher.Init(Nonce, 16, Header);
        return cipher;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1200)]
    public void Native_GCM_must_seal_as_BouncyCastle_does_and_open_what_it_seals(int length)
    {
        var plain = RandomNumberGenerator.GetBytes(length);
        var sealedByUs = new byte[length + 16];
        Assert.Equal(length + 16, Native(encrypt: true).DoFinal(plain, 0, length, sealedByUs, 0));
        Assert.Equal(BouncyCastle(encrypt: true, plain), sealedByUs);

        var opened = new byte[length];
        Assert.Equal(length, Native(encrypt: false).DoFinal(sealedByUs, 0, sealedByUs.Length, opened, 0));
        Assert.Equal(plain, opened);
    }

    [Fact]
    public void Native_GCM_must_work_in_place_and_at_shifted_offsets_of_one_buffer()
    {
        var plain = RandomNumberGenerator.GetBytes(100);
        var buffer = new byte[8 + 100 + 16];
        plain.CopyTo(buffer, 8);
        Native(encrypt: true).DoFinal(buffer, 8, 100, buffer, 0); // output overlaps the input, shifted
        Assert.Equal(BouncyCastle(encrypt: true, plain), buffer[..116]);

        Native(encrypt: false).DoFinal(buffer, 0, 116, buffer, 0); // in place
        Assert.Equal(plain, buffer[..100]);
    }

    [Fact]
    public void Native_GCM_must_refuse_a_tampered_record_with_bad_record_mac()
    {
        var record = BouncyCastle(encrypt: true, RandomNumberGenerator.GetBytes(50));
        record[10] ^= 1;

        var alert = Assert.Throws<TlsFatalAlert>(() => Native(encrypt: false).DoFinal(record, 0, record.Length, new byte[50], 0));
        Assert.Equal(AlertDescription.bad_record_mac, alert.AlertDescription);
    }
}
