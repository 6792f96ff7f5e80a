using PxpActors.WebRtc.Dtls;
using Xunit;

namespace PxpActors.WebRtc.Tests.Dtls;

/// <summary>RFC 6347 section 4.1.2.6 anti-replay: a sliding window of the last 64 authenticated sequence numbers.</summary>
public sealed class DtlsReplayWindowTests
{
    [Fact]
    public void Replay_window_must_accept_each_new_sequence_number_once()
    {
        var window = new DtlsReplayWindow();
        for (long n = 0; n < 200; n++)
        {
            Assert.True(window.MayAccept(n));
            window.Mark(n);
            Assert.False(window.MayAccept(n));
        }
    }

    [Fact]
    public void Replay_window_must_accept_reordered_records_inside_the_window_once_and_refuse_older_ones()
    {
        var window = new DtlsReplayWindow();
        window.Mark(100);
        Assert.True(window.MayAccept(100 - DtlsReplayWindow.Size + 1)); // the oldest still tracked
        Assert.False(window.MayAccept(100 - DtlsReplayWindow.Size)); // fell out of the window
        Assert.True(window.MayAccept(99));
        window.Mark(99);
        Assert.False(window.MayAccept(99));
        Assert.True(window.MayAccept(98));
        Assert.True(window.MayAccept(101));
    }

    [Fact]
    public void Replay_window_must_not_move_until_a_record_is_marked()
    {
        var window = new DtlsReplayWindow();
        window.Mark(10);
        Assert.True(window.MayAccept(1000)); // say a forged record: checked, never marked
        Assert.True(window.MayAccept(9)); // the window did not slide past 9
    }

    [Fact]
    public void Replay_window_must_forget_everything_behind_a_jump_larger_than_itself()
    {
        var window = new DtlsReplayWindow();
        for (long n = 0; n < 10; n++) window.Mark(n);
        window.Mark(10 + DtlsReplayWindow.Size * 3);
        Assert.False(window.MayAccept(5));
        Assert.False(window.MayAccept(10 + DtlsReplayWindow.Size * 3));
        Assert.True(window.MayAccept(10 + DtlsReplayWindow.Size * 3 - 1));
    }

    [Fact]
    public void Replay_window_must_handle_the_largest_48_bit_sequence_number()
    {
        var window = new DtlsReplayWindow();
        window.Mark(DtlsReplayWindow.MaxSequenceNumber);
        Assert.False(window.MayAccept(DtlsReplayWindow.MaxSequenceNumber));
        Assert.True(window.MayAccept(DtlsReplayWindow.MaxSequenceNumber - 1));
    }
}
