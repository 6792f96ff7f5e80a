using Akka;
using Akka.IO;
using Akka.Streams.Dsl;
using PxpActors.Protocol.Rpc;

namespace PxpActors.Actors;

/// <summary>
/// A custom source of candidates for getpeers replies (the reference's <c>getPeers</c> option). When set,
/// it replaces the default (our connected peers that accept incoming sessions).
/// </summary>
public delegate IReadOnlyList<CustomCandidate> CandidateSource(string network);

/// <summary>
/// A candidate that is not a PXP session of ours: relaying to it opens <paramref name="Open"/>'s byte
/// stream and pipes the asker to it. Advertised with <paramref name="ConnectInfo"/>
/// (default <c>{"relay":true,"pxp":false}</c>, as the reference's function candidates).
/// </summary>
public sealed record CustomCandidate(Func<Task<Flow<ByteString, ByteString, NotUsed>>> Open, ConnectInfo? ConnectInfo = null);
