using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC.Multiplier;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Utilities;

namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// The per-signature part of one ECDSA signature (FIPS 186-5 section 6.4.1), made ahead: a random k in [1, n-1],
/// r = x(kG) mod n, and k⁻¹ mod n. The point multiplication kG is nearly all the cost of signing and needs nothing
/// of the message, so with it made before the handshake, signing its ServerKeyExchange or CertificateVerify is
/// s = k⁻¹(e + dr) mod n: a few multiplications. A k used twice gives the private key away, so
/// <see cref="TrySign"/> hands it out once.
/// </summary>
internal sealed class DtlsEcdsaNonce
{
    /// <summary>The curve of WebRTC's certificates (<see cref="DtlsCertificate"/>).</summary>
    private static readonly ECDomainParameters P256 = ECNamedDomainParameters.LookupOid(SecObjectIdentifiers.SecP256r1);

    private readonly ECDomainParameters _domain;
    private readonly BigInteger _r;
    private BigInteger? _kInverse;

    private DtlsEcdsaNonce(ECDomainParameters domain, BigInteger r, BigInteger kInverse)
    {
        _domain = domain;
        _r = r;
        _kInverse = kInverse;
    }

    /// <summary>A fresh nonce for signing with a P-256 key.</summary>
    public static DtlsEcdsaNonce CreateP256(SecureRandom random)
    {
        while (true)
        {
            if (FromK(P256, RandomK(P256.N, random)) is { } nonce) return nonce;
        }
    }

    /// <summary>The nonce of a given k, or null for a k whose r is 0 (take another). Tests use it with known k.</summary>
    internal static DtlsEcdsaNonce? FromK(ECDomainParameters domain, BigInteger k)
    {
        var n = domain.N;
        if (k.SignValue <= 0 || k.CompareTo(n) >= 0) throw new ArgumentOutOfRangeException(nameof(k), "k must lie in [1, n-1].");
        var point = new FixedPointCombMultiplier().Multiply(domain.G, k).Normalize();
        var r = point.AffineXCoord.ToBigInteger().Mod(n);
        return r.SignValue == 0 ? null : new DtlsEcdsaNonce(domain, r, BigIntegers.ModOddInverse(n, k));
    }

    /// <summary>
    /// The DER-encoded signature (RFC 8422 section 5.4) of <paramref name="hash"/> with <paramref name="key"/>, using up
    /// this nonce; null when it cannot serve (already used, a key on another curve, or the one-in-2^256 s = 0), and the
    /// caller signs another way.
    /// </summary>
    public byte[]? TrySign(ECPrivateKeyParameters key, byte[] hash)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(hash);
        if (!SameDomain(key.Parameters)) return null;
        if (Interlocked.Exchange(ref _kInverse, null) is not { } kInverse) return null;
        var n = _domain.N;
        var s = kInverse.Multiply(Digest(n, hash).Add(key.D.Multiply(_r))).Mod(n);
        return s.SignValue == 0 ? null : new DerSequence(new DerInteger(_r), new DerInteger(s)).GetEncoded(Asn1Encodable.Der);
    }

    private bool SameDomain(ECDomainParameters other) =>
        ReferenceEquals(other, _domain) || (other.N.Equals(_domain.N) && other.Curve.Equals(_domain.Curve) && other.G.Equals(_domain.G));

    /// <summary>e: the hash's leftmost bits, as many as n has (FIPS 186-5 section 6.4.1).</summary>
    private static BigInteger Digest(BigInteger n, byte[] hash)
    {
        var e = new BigInteger(1, hash);
        var excess = hash.Length * 8 - n.BitLength;
        return excess > 0 ? e.ShiftRight(excess) : e;
    }

    private static BigInteger RandomK(BigInteger n, SecureRandom random)
    {
        while (true)
        {
            var k = new BigInteger(n.BitLength, random);
            if (k.SignValue > 0 && k.CompareTo(n) < 0) return k;
        }
    }
}
