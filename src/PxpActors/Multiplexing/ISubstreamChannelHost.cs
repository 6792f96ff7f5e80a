using Akka.IO;

namespace PxpActors.Multiplexing;

/// <summary>What a <see cref="SubstreamChannel"/> asks of its stage; each call is an async callback into it.</summary>
internal interface ISubstreamChannelHost
{
    void Write(SubstreamChannel channel, ByteString data);

    void CompleteWrites(SubstreamChannel channel);

    void StopReading(SubstreamChannel channel);

    void RoomFreed(SubstreamChannel channel);

    /// <summary>A channel's own send failed mid-frame: the session cannot go on.</summary>
    void Abort(Exception reason);
}
