using PxpActors.WebRtc.Dtls;
using Xunit;

namespace PxpActors.WebRtc.Tests.Dtls;

public sealed class DtlsRoleNegotiationTests
{
    [Theory]
    [InlineData(DtlsSetup.ActPass, DtlsSetup.Active, DtlsRole.Client, DtlsRole.Server)]
    [InlineData(DtlsSetup.Active, DtlsSetup.Passive, DtlsRole.Server, DtlsRole.Client)]
    [InlineData(DtlsSetup.Passive, DtlsSetup.Active, DtlsRole.Client, DtlsRole.Server)]
    public void Answerer_and_offerer_must_end_up_in_complementary_roles(
        DtlsSetup offered, DtlsSetup answered, DtlsRole answererRole, DtlsRole offererRole)
    {
        Assert.Equal(answered, DtlsRoleNegotiation.AnswerSetup(offered));
        Assert.Equal(answererRole, DtlsRoleNegotiation.RoleOf(answered));
        Assert.Equal(offererRole, DtlsRoleNegotiation.OffererRole(answered));
    }

    [Fact]
    public void An_answer_that_says_actpass_must_be_refused()
    {
        Assert.Contains("must choose 'active' or 'passive'",
            Assert.Throws<DtlsException>(() => DtlsRoleNegotiation.OffererRole(DtlsSetup.ActPass)).Message);
        Assert.Throws<DtlsException>(() => DtlsRoleNegotiation.RoleOf(DtlsSetup.ActPass));
    }
}
