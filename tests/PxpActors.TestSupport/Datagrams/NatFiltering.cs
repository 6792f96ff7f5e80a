namespace PxpActors.TestSupport.Datagrams;

/// <summary>Which inbound datagrams a simulated NAT lets through a mapping (RFC 4787 §5).</summary>
public enum NatFiltering
{
    /// <summary>Anyone may send to the mapped address ("full cone").</summary>
    EndpointIndependent,

    /// <summary>Only addresses the inside host has sent to.</summary>
    AddressDependent,

    /// <summary>Only address-and-port pairs the inside host has sent to.</summary>
    AddressAndPortDependent,
}
