using System.Net;

namespace PxpActors.WebRtc.Ice;

/// <summary>A datagram the agent's state machine wants sent from one of its sockets.</summary>
internal readonly record struct IceTransmit(int SocketId, IPEndPoint Destination, byte[] Datagram);
