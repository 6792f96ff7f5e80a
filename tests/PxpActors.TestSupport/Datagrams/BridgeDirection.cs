namespace PxpActors.TestSupport.Datagrams;

/// <summary>Which way a datagram crosses a <see cref="DatagramBridge"/>.</summary>
public enum BridgeDirection
{
    LeftToRight,
    RightToLeft,
}
