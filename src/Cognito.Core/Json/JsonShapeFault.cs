using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Cognito;

/// <summary>What is wrong with a JOSE header or JWT payload as JSON, if anything.</summary>
internal enum JsonShapeFault
{
    None,
    NotObject,
    TooDeep,
    DuplicateName,
}
