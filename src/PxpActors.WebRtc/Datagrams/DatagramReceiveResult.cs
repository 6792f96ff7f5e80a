using System.Net;

namespace PxpActors.WebRtc.Datagrams;

/// <summary>One datagram received on an <see cref="IDatagramSocket"/>: its length and who sent it.</summary>
public readonly record struct DatagramReceiveResult(int Length, IPEndPoint RemoteEndPoint);
