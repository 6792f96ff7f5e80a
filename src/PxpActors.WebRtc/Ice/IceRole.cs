namespace PxpActors.WebRtc.Ice;

/// <summary>RFC 8445 §6.1.1: the controlling agent nominates; the offerer starts as controlling.</summary>
public enum IceRole
{
    Controlling,
    Controlled,
}
