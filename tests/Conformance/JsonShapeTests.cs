using System.Text;
using System.Text.Json;

namespace Cognito.Conformance;

/// <summary>
/// The Structure stage's JSON part, case by case: the strict RFC 8259 check every header and payload
/// passes before anything reads it. Each accepted case is also parsed by System.Text.Json, so the check
/// never accepts what the reader behind it would refuse.
/// </summary>
public sealed class JsonShapeTests
{
    private static JsonShapeFault Check(string json) => JsonShape.Check(Encoding.UTF8.GetBytes(json));

    private static string Nested(int depth) => "{\"a\":" + string.Concat(Enumerable.Repeat("[", depth - 1)) + string.Concat(Enumerable.Repeat("]", depth - 1)) + "}";

    [Theory]
    [InlineData("{}")]
    [InlineData(" \t\r\n{ \t\r\n} \t\r\n")]
    [InlineData("{\"a\":0}")]
    [InlineData("{\"a\":-0}")]
    [InlineData("{\"a\":10}")]
    [InlineData("{\"a\":0.5}")]
    [InlineData("{\"a\":-12.34}")]
    [InlineData("{\"a\":1e5}")]
    [InlineData("{\"a\":1E5}")]
    [InlineData("{\"a\":1e+5}")]
    [InlineData("{\"a\":1e-5}")]
    [InlineData("{\"a\":-0.0E-0}")]
    [InlineData("{\"a\":1767225600,\"b\":2}")]
    [InlineData("{\"a\":true,\"b\":false,\"c\":null}")]
    [InlineData("{\"a\":[]}")]
    [InlineData("{\"a\":[ ]}")]
    [InlineData("{\"a\":{}}")]
    [InlineData("{\"a\":{ }}")]
    [InlineData("{\"a\":[1,[2,[3]],{\"b\":[]}]}")]
    [InlineData("{\"a\":{\"b\":{\"c\":1}},\"d\":2}")]
    [InlineData("{\"a\":[{\"a\":1},{\"a\":1}]}")]
    [InlineData("{\"a\":{\"a\":{\"a\":1}}}")]
    [InlineData("{\"a\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}")]
    [InlineData("{\"a\":\"\\u00e9\\u00E9\\uABCD\\uabcd\\u0000\"}")]
    [InlineData("{\"a\":\"\\ud83d\\ude00\\uD83D\\uDE00\"}")]
    [InlineData("{\"a\":\"é😀中\"}")]
    [InlineData("{\"a\":\"0123456789012345678901234567890123456789\"}")]
    [InlineData("{\"a\":\"01234567890123456789012\\n\"}")]
    [InlineData("{\"a\":\"012345678901234567890123\\n4567\"}")]
    [InlineData("{\"a\":\"0123456789012345678901234567890\\u0041bcdefghijklmnopqrstuvwxyz0123456789\"}")]
    [InlineData("{\"ab\":1,\"a\":2,\"b\":3,\"ba\":4}")]
    [InlineData("{\"\\u0061b\":1,\"a\":2}")]
    [InlineData("{\"x\":{\"a\":1},\"y\":{\"a\":1}}")]
    [InlineData("{\"\":1,\"a\":\"\"}")]
    [InlineData("{\"a\":\"\\ud800\\udc00\\udbff\\udfff\"}")]
    [InlineData("{\"a\":\"\\u00ef\\uFFEF\\uffef\"}")]
    [InlineData("{\"a\":{\"b\":[1,{\"c\":null}]}} ")]
    public void Valid_JSON_objects_pass(string json)
    {
        Assert.Equal(JsonShapeFault.None, Check(json));
        using var reference = JsonDocument.Parse(json);
        Assert.Equal(JsonValueKind.Object, reference.RootElement.ValueKind);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("[]")]
    [InlineData("1")]
    [InlineData("\"a\"")]
    [InlineData("null")]
    [InlineData("{")]
    [InlineData("{ ")]
    [InlineData("}")]
    [InlineData("{}}")]
    [InlineData("{} {}")]
    [InlineData("{}x")]
    [InlineData("{}\v")]
    [InlineData("{}\f")]
    [InlineData("{}\u00a0")]
    [InlineData("{\"a\"}")]
    [InlineData("{\"a\":}")]
    [InlineData("{\"a\" 1}")]
    [InlineData("{\"a\"")]
    [InlineData("{\"a\":1")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{,}")]
    [InlineData("{,\"a\":1}")]
    [InlineData("{\"a\":1 \"b\":2}")]
    [InlineData("{\"a\":1,,\"b\":2}")]
    [InlineData("{a:1}")]
    [InlineData("{'a':1}")]
    [InlineData("{\"a\":1]")]
    [InlineData("{\"a\":[1}")]
    [InlineData("{\"a\":[1 2]}")]
    [InlineData("{\"a\":[1,]}")]
    [InlineData("{\"a\":[,1]}")]
    [InlineData("{\"a\":[}")]
    [InlineData("{\"a\":{]}")]
    [InlineData("{\"a\":{\"b\"}}")]
    [InlineData("{\"a\":{1:2}}")]
    [InlineData("{\"a\":01}")]
    [InlineData("{\"a\":00}")]
    [InlineData("{\"a\":-01}")]
    [InlineData("{\"a\":1.}")]
    [InlineData("{\"a\":1.e5}")]
    [InlineData("{\"a\":.5}")]
    [InlineData("{\"a\":1e}")]
    [InlineData("{\"a\":1e+}")]
    [InlineData("{\"a\":1e-}")]
    [InlineData("{\"a\":1e+-5}")]
    [InlineData("{\"a\":-}")]
    [InlineData("{\"a\":--1}")]
    [InlineData("{\"a\":-a}")]
    [InlineData("{\"a\":+1}")]
    [InlineData("{\"a\":0x10}")]
    [InlineData("{\"a\":1.5.5}")]
    [InlineData("{\"a\":NaN}")]
    [InlineData("{\"a\":Infinity}")]
    [InlineData("{\"a\":tru}")]
    [InlineData("{\"a\":truee}")]
    [InlineData("{\"a\":True}")]
    [InlineData("{\"a\":fals}")]
    [InlineData("{\"a\":nul}")]
    [InlineData("{\"a\":nulll}")]
    [InlineData("{\"a\":t")]
    [InlineData("{\"a\":x}")]
    [InlineData("{\"a\":\"b}")]
    [InlineData("{\"a\":\"b")]
    [InlineData("{\"a\":\"b\\")]
    [InlineData("{\"a\":\"b\\\"}")]
    [InlineData("{\"a\":\"\\q\"}")]
    [InlineData("{\"a\":\"\\x41\"}")]
    [InlineData("{\"a\":\"\\U0041\"}")]
    [InlineData("{\"a\":\"\\u\"}")]
    [InlineData("{\"a\":\"\\u12\"}")]
    [InlineData("{\"a\":\"\\u004")]
    [InlineData("{\"a\":\"\\u12G4\"}")]
    [InlineData("{\"a\":\"\\u12g4\"}")]
    [InlineData("{\"a\":\"\\u12:4\"}")]
    [InlineData("{\"a\":\"\\u12/4\"}")]
    [InlineData("{\"a\":\"\\u12@4\"}")]
    [InlineData("{\"a\":\"\\u12`4\"}")]
    [InlineData("{\"a\":\"\\ud800\\\"}")]
    [InlineData("{\"a\":\"\\ud800\\udc0\"}")]
    [InlineData("{\"a\":\"\\ud800\\u\"}")]
    [InlineData("{\"a\":\"\\ud800\\")]
    [InlineData("{\"a\":\"\\ud800")]
    [InlineData("{\"a\":\"tab\there\"}")]
    [InlineData("{\"a\":\"\u0001\"}")]
    [InlineData("{\"a\":\"\u001f\"}")]
    [InlineData("{\"a\":\"0123456789012345678901234567890123456789\u0001\"}")]
    [InlineData("{\"a\":\"0123456789012345678901234567890123456789")]
    [InlineData("{\"a\u0001\":1}")]
    [InlineData("{\"a\\q\":1}")]
    [InlineData("{\"a\":1}x")]
    [InlineData("{\"a\":[1]}]")]
    [InlineData("{\"a\":{}} 1")]
    [InlineData("{x\":1}")]
    [InlineData("{\"a\":1,x\":2}")]
    [InlineData("{\"a\":-")]
    [InlineData("{\"a\":1.")]
    [InlineData("{\"a\":1e")]
    [InlineData("{\"a\":1e+")]
    [InlineData("{\"a\":\"aaaaaaaaaaaaaaaaaaaaaaa}")]
    [InlineData("{\"a\":\"aaaaaaaaaaaaaaaaaaaaaaaa}")]
    [InlineData("{\"a\":\"aaaaaaaaaaaaaaaaaaaaaaaaa}")]
    [InlineData("{\"a\":trux}")]
    [InlineData("{\"a\":fals0}")]
    [InlineData("{\"a\":nulx}")]
    [InlineData("{\"a\":\"\\ud800}")]
    [InlineData("{\"a\":\"\\q}")]
    [InlineData("{\"a\":\"x\t}")]
    [InlineData("{\"a\":\"x\n}")]
    [InlineData("{\"\\n\\q\":1}")]
    [InlineData("{\"\\n\\u12G4\":1}")]
    [InlineData("{\"\\n\u0001\":1}")]
    public void Anything_else_is_not_an_object(string json)
    {
        Assert.Equal(JsonShapeFault.NotObject, Check(json));
        Assert.False(ParsesAsObject(json));
    }

    [Theory]
    [InlineData("{\"a\":\"\\ud800\"}")]
    [InlineData("{\"a\":\"\\udbff\"}")]
    [InlineData("{\"a\":\"\\udc00\"}")]
    [InlineData("{\"a\":\"\\udfff\"}")]
    [InlineData("{\"a\":\"\\ud800x\"}")]
    [InlineData("{\"a\":\"\\ud800\\n\"}")]
    [InlineData("{\"a\":\"\\ud800\\u0041\"}")]
    [InlineData("{\"a\":\"\\ud800\\ud800\"}")]
    [InlineData("{\"a\":\"\\ud800\\ue000\"}")]
    [InlineData("{\"\\n\\udc00\":1}")]
    [InlineData("{\"\\n\\ud800\\u0041\":1}")]
    public void Lone_surrogate_escapes_are_not_an_object_though_System_Text_Json_reads_them(string json)
    {
        Assert.Equal(JsonShapeFault.NotObject, Check(json));
        Assert.True(ParsesAsObject(json)); // stricter than the reader: such a string has no UTF-8 form
    }

    [Theory]
    [InlineData(new byte[] { (byte)'{', (byte)'"', 0xC3, (byte)'"', (byte)':', (byte)'1', (byte)'}' })]
    [InlineData(new byte[] { (byte)'{', (byte)'"', 0xED, 0xA0, 0x80, (byte)'"', (byte)':', (byte)'1', (byte)'}' })]
    [InlineData(new byte[] { (byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xFF, (byte)'"', (byte)'}' })]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}' })]
    public void Invalid_UTF8_or_a_byte_order_mark_is_not_an_object(byte[] json) =>
        Assert.Equal(JsonShapeFault.NotObject, JsonShape.Check(json));

    [Fact]
    public void Nesting_is_accepted_to_depth_16_and_refused_at_17()
    {
        Assert.Equal(JsonShapeFault.None, Check(Nested(JsonShape.MaxDepth)));
        Assert.Equal(JsonShapeFault.TooDeep, Check(Nested(JsonShape.MaxDepth + 1)));
        Assert.Equal(JsonShapeFault.TooDeep, Check("{\"a\":" + string.Concat(Enumerable.Repeat("{\"b\":", JsonShape.MaxDepth)) + "1" + new string('}', JsonShape.MaxDepth + 1)));
        Assert.Equal(JsonShapeFault.None, Check("{\"a\":" + string.Concat(Enumerable.Repeat("{\"b\":", JsonShape.MaxDepth - 1)) + "1" + new string('}', JsonShape.MaxDepth)));
    }

    [Fact]
    public void Depth_is_counted_down_as_containers_close()
    {
        // Sixteen siblings at depth 2 are fine: closing a container gives its depth back.
        var siblings = "{" + string.Join(",", Enumerable.Range(0, 40).Select(i => $"\"k{i}\":[[[[[[[[[[[[[[]]]]]]]]]]]]]]")) + "}";
        Assert.Equal(JsonShapeFault.None, Check(siblings));
        var emptySiblings = "{" + string.Join(",", Enumerable.Range(0, 40).Select(i => $"\"k{i}\":{{}}")) + "}";
        Assert.Equal(JsonShapeFault.None, Check(emptySiblings));
    }

    [Theory]
    [InlineData("{\"a\":1,\"a\":2}")]
    [InlineData("{\"a\":1,\"b\":2,\"a\":3}")]
    [InlineData("{\"a\":1,\"\\u0061\":2}")]
    [InlineData("{\"\\u0061\":1,\"a\":2}")]
    [InlineData("{\"\\u0061\":1,\"\\u0061\":2}")]
    [InlineData("{\"\\u0061\":1,\"\\u0041\":2,\"\\u0061\":3}")]
    [InlineData("{\"é\":1,\"\\u00e9\":2}")]
    [InlineData("{\"中\":1,\"\\u4e2d\":2}")]
    [InlineData("{\"😀\":1,\"\\ud83d\\ude00\":2}")]
    [InlineData("{\"x😀y\":1,\"x\\ud83d\\ude00y\":2}")]
    [InlineData("{\"\\\"\":1,\"\\u0022\":2}")]
    [InlineData("{\"\\\\\":1,\"\\u005c\":2}")]
    [InlineData("{\"/\":1,\"\\/\":2}")]
    [InlineData("{\"\\b\":1,\"\\u0008\":2}")]
    [InlineData("{\"\\f\":1,\"\\u000c\":2}")]
    [InlineData("{\"\\n\":1,\"\\u000a\":2}")]
    [InlineData("{\"\\r\":1,\"\\u000d\":2}")]
    [InlineData("{\"\\t\":1,\"\\u0009\":2}")]
    [InlineData("{\"sub\":\"a\",\"s\\u0075b\":\"b\"}")]
    [InlineData("{\"x\":{\"a\":1,\"a\":2}}")]
    [InlineData("{\"x\":[{\"a\":1,\"a\":2}]}")]
    [InlineData("{\"x\":{\"y\":{\"a\":1,\"a\":2}}}")]
    [InlineData("{\"x\":{\"a\":1},\"x\":{\"a\":1}}")]
    [InlineData("{\"\":1,\"\":2}")]
    [InlineData("{\"\\ud800\\udc00\":1,\"\U00010000\":2}")]
    [InlineData("{\"\\udbff\\udfff\":1,\"\U0010FFFF\":2}")]
    public void A_name_twice_in_one_object_is_a_duplicate(string json)
    {
        Assert.Equal(JsonShapeFault.DuplicateName, Check(json));
        Assert.True(ParsesAsObject(json)); // System.Text.Json alone would accept it
    }

    [Theory]
    [InlineData("{\"\\b\":1,\"\\f\":2,\"\\n\":3,\"\\r\":4,\"\\t\":5,\"\\\"\":6,\"\\\\\":7,\"\\/\":8,\"b\":9,\"f\":10,\"n\":11,\"r\":12,\"t\":13}")]
    [InlineData("{\"\\u0041\":1,\"\\u0061\":2,\"\\u00c9\":3,\"\\u00e9\":4,\"\\ud83d\\ude00\":5,\"\\ud83d\\ude01\":6,\"\\ud83e\\ude00\":7}")]
    [InlineData("{\"a\\u0062\":1,\"ab\\u0063\":2,\"\\u0061\":3,\"b\":4}")]
    public void Different_names_after_unescaping_are_not_duplicates(string json) =>
        Assert.Equal(JsonShapeFault.None, Check(json));

    [Theory]
    [InlineData(20)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(400)]
    public void Many_members_are_told_apart_and_a_late_duplicate_is_found(int count)
    {
        var members = Enumerable.Range(0, count).Select(i => $"\"claim{i}\":{i}").ToList();
        Assert.Equal(JsonShapeFault.None, Check("{" + string.Join(",", members) + "}"));
        Assert.Equal(JsonShapeFault.DuplicateName, Check("{" + string.Join(",", members) + ",\"claim0\":1}"));
        Assert.Equal(JsonShapeFault.DuplicateName, Check("{" + string.Join(",", members) + $",\"claim{count - 1}\":1}}"));

        var escaped = Enumerable.Range(0, count).Select(i => $"\"\\u0063laim{i}\":\"{new string('v', 20)}\"").ToList();
        Assert.Equal(JsonShapeFault.None, Check("{" + string.Join(",", escaped) + "}"));
        Assert.Equal(JsonShapeFault.DuplicateName, Check("{" + string.Join(",", escaped) + $",\"claim{count / 2}\":1}}"));
    }

    [Fact]
    public void The_same_names_in_many_objects_are_not_duplicates()
    {
        var objects = "{\"list\":[" + string.Join(",", Enumerable.Range(0, 100).Select(_ => "{\"a\":1,\"\\u0062\":2}")) + "]}";
        Assert.Equal(JsonShapeFault.None, Check(objects));
    }

    private static bool ParsesAsObject(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
