using System.Security.Cryptography;

namespace PxpActors.Ids;

/// <summary>Candidate and relay ids: 32 random bits as 8 lowercase hex characters, as the reference makes them.</summary>
internal static class RandomId
{
    public static string Next() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
}
