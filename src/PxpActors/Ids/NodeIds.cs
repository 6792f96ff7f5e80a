using System.Security.Cryptography;

namespace PxpActors.Ids;

/// <summary>A node's id, announced in its hello's connectInfo: 64 random bits as 16 lowercase hex characters.</summary>
internal static class NodeIds
{
    public static string Next() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
