using PxpActors.TestSupport.Fuzzing;
using PxpActors.WebRtc.Dtls;
using PxpActors.WebRtc.Tests.Dtls;
using Xunit;

namespace PxpActors.WebRtc.Tests.Fuzzing;

/// <summary>
/// Datagrams on our record path after the handshake (<see cref="DtlsApplicationDataReader"/>): whatever arrives, the
/// reader opens what is authentic and drops the rest, never throwing. It has no exception of its own, so a datagram
/// it opened nothing in counts here as refused.
/// </summary>
public sealed class DtlsRecordFuzzTests
{
    // Fixed, so that a failing input printed by one run fails the same way in the next.
    private static readonly byte[] Key = [.. Enumerable.Range(1, 16).Select(i => (byte)(17 * i))];
    private static readonly byte[] Salt = [0xCA, 0xFE, 0xF0, 0x0D];

    private static List<byte[]> Seeds()
    {
        var handshake = new byte[] { 22, 0xFE, 0xFD, 0, 1, 0, 0, 0, 0, 0, 9, 0, 4, 1, 2, 3, 4 };
        byte[] Sealed(int length, long sequence) => DtlsRecordSealer.Seal(Key, Salt, new byte[length], sequence);
        return
        [
            Sealed(0, 1),
            Sealed(48, 2),
            [.. Sealed(16, 3), .. Sealed(300, 4)],
            [.. handshake, .. Sealed(5, 5)],
            [.. Sealed(1, 6), .. handshake],
        ];
    }

    [Fact]
    [Trait("Category", FuzzBudget.Category)]
    public void Read_must_never_throw_and_allocate_within_its_input()
    {
        var plaintexts = new List<Range>();
        // Opened in place; only the records handed on to BouncyCastle are copied (and a reader per input is made).
        ParserFuzz.Run<NothingOpened>(SeedMutator.Of(Seeds()), input =>
        {
            using var reader = new DtlsApplicationDataReader(new DtlsRecordKeys(Key.ToArray(), Salt.ToArray()), epoch: 1);
            reader.Read(input, plaintexts);
            if (plaintexts.Count == 0) throw new NothingOpened();
        }, bytesPerInputByte: 2, fixedBytes: 8 * 1024).MustReachBothPaths();
    }

    private sealed class NothingOpened : Exception;
}
