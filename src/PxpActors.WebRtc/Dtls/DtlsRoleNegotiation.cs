namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// Maps the SDP <c>a=setup</c> offer/answer exchange to DTLS roles (RFC 8842 section 5, JSEP RFC 8829
/// section 5.3.1): the offerer always says <c>actpass</c>, the answerer picks <c>active</c> or
/// <c>passive</c>, and <c>active</c> is the DTLS client.
/// </summary>
public static class DtlsRoleNegotiation
{
    /// <summary>What an offer carries.</summary>
    public const DtlsSetup OfferSetup = DtlsSetup.ActPass;

    /// <summary>
    /// The setup we answer with. To <c>actpass</c> we answer <c>active</c> as libwebrtc does, which saves the
    /// offerer a round trip: its ClientHello would otherwise wait for our answer to arrive.
    /// </summary>
    public static DtlsSetup AnswerSetup(DtlsSetup offered) => offered switch
    {
        DtlsSetup.ActPass => DtlsSetup.Active,
        DtlsSetup.Active => DtlsSetup.Passive,
        DtlsSetup.Passive => DtlsSetup.Active,
        _ => throw new ArgumentOutOfRangeException(nameof(offered), offered, null),
    };

    /// <summary>Our role given the setup we put in our own (answer) description.</summary>
    public static DtlsRole RoleOf(DtlsSetup negotiatedLocalSetup) => negotiatedLocalSetup switch
    {
        DtlsSetup.Active => DtlsRole.Client,
        DtlsSetup.Passive => DtlsRole.Server,
        _ => throw new DtlsException("'actpass' is not a negotiated setup; only an offer may carry it."),
    };

    /// <summary>The offerer's role once the answer's setup is known; an answer must not say <c>actpass</c>.</summary>
    public static DtlsRole OffererRole(DtlsSetup answeredSetup) => answeredSetup switch
    {
        DtlsSetup.Active => DtlsRole.Server,
        DtlsSetup.Passive => DtlsRole.Client,
        _ => throw new DtlsException("The answer's a=setup is 'actpass'; an answerer must choose 'active' or 'passive'."),
    };
}
