namespace PxpActors.Bench.Topologies;

/// <summary>Two ends of one connection: bytes written to <see cref="Writer"/> come out of <see cref="Reader"/>.</summary>
public sealed record StreamPair(Stream Writer, Stream Reader) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        await Writer.DisposeAsync().ConfigureAwait(false);
        await Reader.DisposeAsync().ConfigureAwait(false);
    }
}
