using PxpActors.WebRtc.Ice;
using Xunit;

namespace PxpActors.WebRtc.Tests.Ice;

public sealed class IceConsentTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Consent_checks_must_be_spread_over_0_8_to_1_2_intervals()
    {
        var consent = new IceConsent(new IceAgentOptions(), new Random(1));
        Assert.False(consent.IsRunning);
        Assert.Null(consent.NextDeadline(connected: true));
        consent.Start(T0);
        var intervals = new List<TimeSpan>();
        var now = T0;
        var last = T0;
        for (var i = 0; i < 200; i++)
        {
            while (!consent.IsCheckDue(now)) now += TimeSpan.FromMilliseconds(10);
            intervals.Add(now - last);
            last = now;
            consent.CheckSent(now);
            consent.Refreshed(now);
        }
        Assert.All(intervals, i => Assert.InRange(i, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(6.01)));
        Assert.True(intervals.Distinct().Count() > 50); // randomised, not a fixed beat
    }

    [Fact]
    public void Deadlines_must_include_disconnection_only_while_connected()
    {
        var options = new IceAgentOptions { ConsentInterval = TimeSpan.FromSeconds(50), DisconnectedTimeout = TimeSpan.FromSeconds(10) };
        var consent = new IceConsent(options, new Random(1));
        consent.Start(T0);
        Assert.Equal(T0 + TimeSpan.FromSeconds(10), consent.NextDeadline(connected: true));
        Assert.Equal(T0 + options.ConsentTimeout, consent.NextDeadline(connected: false));
        Assert.Equal(TimeSpan.FromSeconds(7), consent.Silence(T0 + TimeSpan.FromSeconds(7)));
    }
}
