namespace PxpActors.Transports;

/// <summary>A duplex stream that can end its write direction while still reading (like TCP's shutdown).</summary>
public interface IHalfClosable
{
    /// <summary>Ends the write direction: the peer reads the end of the stream; reading goes on.</summary>
    void CompleteWrites();
}
