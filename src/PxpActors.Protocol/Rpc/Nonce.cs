namespace PxpActors.Protocol.Rpc;

/// <summary>Nonces are a per-session counter written in base 36: "0", "1", ... "z", "10", ...</summary>
public static class Nonce
{
    /// <summary>The nonce for the <paramref name="counter"/>-th message of a session.</summary>
    public static string Format(long counter)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(counter);
        if (counter == 0) return "0";
        Span<char> digits = stackalloc char[16];
        var i = digits.Length;
        while (counter > 0)
        {
            var d = (int)(counter % 36);
            digits[--i] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
            counter /= 36;
        }
        return new string(digits[i..]);
    }
}
