namespace PxpActors.WebRtc.Ice;

/// <summary>RFC 8445 §6.1.1: the controlling agent nominates; the offerer starts as controlling.</summary>
public enum IceRole
{
    /// <summary>Nominates the pair (the offerer's side).</summary>
    Controlling,
    /// <summary>Follows the controlling agent's nomination.</summary>
    Controlled,
}
