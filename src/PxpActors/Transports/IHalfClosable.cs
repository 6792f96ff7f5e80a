namespace PxpActors.Transports;

/// <summary>A duplex stream that can end its write direction while still reading (like TCP's shutdown).</summary>
public interface IHalfClosable
{
    void CompleteWrites();
}
