using System.Security.Cryptography;

namespace PxpActors.Actors.Internal;

/// <summary>Candidate and relay ids: 32 random bits as 8 lowercase hex characters, as the reference makes them.</summary>
internal static class RandomId
{
    public static string Next() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
}

/// <summary>A node's id, announced in its hello's connectInfo: 64 random bits as 16 lowercase hex characters.</summary>
internal static class NodeIds
{
    public static string Next() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
