using System.Net;
using PxpActors.WebRtc.Ice;
using PxpActors.WebRtc.Stun;
using PxpActors.WebRtc.Stun.Attributes;
using Xunit;

namespace PxpActors.WebRtc.Tests.Ice;

/// <summary>The wire contract of ICE's STUN messages (RFC 8445 §7.1, §7.3), as a peer parses them.</summary>
public sealed class IceStunMessagesTests
{
    private static readonly IceCredentials Local = new("LOCL", "LocalPasswordOf22Chars");
    private static readonly IceCredentials Remote = new("REMT", "RemotePasswordOf22Char");

    [Theory]
    [InlineData(IceRole.Controlling, true)]
    [InlineData(IceRole.Controlling, false)]
    [InlineData(IceRole.Controlled, false)]
    public void Check_must_carry_what_the_peer_needs(IceRole role, bool nominating)
    {
        var id = StunTransactionId.New();
        var remoteKey = StunCredentials.ShortTermKey(Remote.Password);
        var check = StunMessage.Parse(IceStunMessages.Check(id, Local, Remote, remoteKey, 1862270975, role, 0xABCDEF, nominating));

        Assert.Equal(StunMessageType.BindingRequest, check.Type);
        Assert.Equal(id, check.TransactionId);
        Assert.Equal("REMT:LOCL", check.Get<UsernameAttribute>()!.Value);
        Assert.Equal(1862270975u, check.Get<PriorityAttribute>()!.Priority);
        Assert.Equal(nominating, check.Has<UseCandidateAttribute>());
        if (role == IceRole.Controlling)
        {
            Assert.Equal(0xABCDEFul, check.Get<IceControllingAttribute>()!.TieBreaker);
            Assert.False(check.Has<IceControlledAttribute>());
        }
        else
        {
            Assert.Equal(0xABCDEFul, check.Get<IceControlledAttribute>()!.TieBreaker);
            Assert.False(check.Has<IceControllingAttribute>());
        }
        Assert.True(check.VerifyIntegrity(remoteKey)); // signed with the peer's password
        Assert.IsType<FingerprintAttribute>(check.Attributes[^1]);
    }

    [Fact]
    public void Success_must_reflect_the_source_and_be_signed_with_our_password()
    {
        var localKey = StunCredentials.ShortTermKey(Local.Password);
        var request = new StunMessage(StunMessageType.BindingRequest, StunTransactionId.New(), []);
        var from = IPEndPoint.Parse("203.0.113.9:40000");
        var response = StunMessage.Parse(IceStunMessages.Success(request, from, localKey));

        Assert.Equal(StunMessageType.BindingSuccess, response.Type);
        Assert.Equal(request.TransactionId, response.TransactionId);
        Assert.Equal(from, response.Get<XorMappedAddressAttribute>()!.EndPoint);
        Assert.True(response.VerifyIntegrity(localKey));
        Assert.True(response.Has<FingerprintAttribute>());
    }

    [Fact]
    public void Errors_must_be_signed_only_when_the_request_was_authenticated()
    {
        var localKey = StunCredentials.ShortTermKey(Local.Password);
        var request = new StunMessage(StunMessageType.BindingRequest, StunTransactionId.New(), []);

        var conflict = StunMessage.Parse(IceStunMessages.Error(request, ErrorCodeAttribute.RoleConflict, "Role Conflict", localKey));
        Assert.Equal(StunMessageType.BindingError, conflict.Type);
        Assert.Equal(487, conflict.Get<ErrorCodeAttribute>()!.Code);
        Assert.True(conflict.VerifyIntegrity(localKey));

        var unauthorized = StunMessage.Parse(IceStunMessages.Error(request, ErrorCodeAttribute.Unauthorized, "Unauthorized", null));
        Assert.Equal(401, unauthorized.Get<ErrorCodeAttribute>()!.Code);
        Assert.False(unauthorized.Has<MessageIntegrityAttribute>());
        Assert.True(unauthorized.Has<FingerprintAttribute>());
    }
}
