namespace Cognito.TestKit;

/// <summary>
/// Four fixed 2048-bit RSA key pairs for tests only (never trusted anywhere else). Fixed rather than
/// generated so a test process starts in milliseconds instead of ~0.8 s of key generation: Stryker
/// starts a test process per mutant.
/// </summary>
internal static class TestKeys
{
    internal static readonly string[] Pem =
    [
        // DefaultPool
        """
        -----BEGIN PRIVATE KEY-----
        MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDP1e0f7X3nZV7Y
        9EeEgH/TWIiXXo6fAog9og5M7t+7XYv9AV8HRw0Kh2IMEHPQHSnmlz5L/1rx54iy
        2cpyXXInJf7q1M/30eY7FOBFDoMESg25/stTR9vZ0aY812P+bWh9p89wjh6KW7tp
        rcaFmVdYYnOxgZq7EK+hK3Gn+cc8TS7wZcdSFOKTjPjtykQOyADIPi+DzwQqZTqz
        3ziU2fqjV5CPL7bcdRBtX3H6HP2ipuMlYi50qGVcoeVGaPQ32AafxAD9EhUTWTjh
        GmWyHaAbLMYeyt2UdUpHd3N5/F+YYCA9G+4j5/Q7P6i2zhFG7YxzRDqcGpsMdY3H
        6RMD8JRRAgMBAAECggEAARhkJGTOou1rdWp9JX89XTZkWuLcTs13PRbpayGfo3fD
        3PiYwPuwf4eU3lIoYBaFQeI2aXVeK/PvyhyAdv+T0k2+lQt70JcmNtW+dFK2IUvI
        HHyxot3YNGLI1N2AOQcn07CylMnk8o728wC/0PSsy4oSSMNRds6o1Ek7szpLYN+X
        UmKsw1krF/0Rf5dkhnCXnMY2SJdf9Yf1nfPFZ03hW7GGda8dfy96cVRCELkNEFlV
        0gIqkN2yaDpV8clM0VA+UvuIfoQRU2Yu5+QCAlIiTBhtcAufya6dMR9HdvkU2cI8
        fTAHILBCAd0+0loCmmxCbXDqiv+8Cl+kwCEzak7c+QKBgQDy8X7wqRdd8oXgZUOw
        4Kmo7Bhp7yl/mNKocX9NanvW7oqZQGDmuuo869EqB0F8MZUDEWDSCK1rWfG+XCQA
        mNx8QYPds3J6Xc3gniKr/cUOVlSYJvACvuocVocsDlsYdqi1oxXpE4cqrVphZTLk
        YKQCXfuNa+2SVOs27IP12V39WQKBgQDbAWfi9z1913rr8Qa4XY/9WCeU/bCxBOSl
        CmcRMKSe4USPYadNLMWQ2JfnDEAxL4vdyPdkXbPNUJ1O8YAUbb0VRc2i1ZN903br
        nhwG6y7hdzhUKUkki08MaTk5nRKJrqt3QkTKQRsPUvdkteN6aDIdzvvJUy2nQjKw
        to4gN52XuQKBgGfHug5cbVr4qy/8kjoQ/ujmUleOjw+u3O6P7W3IuzZJmHN3CO4H
        kuCLbEKj7tl65Mj2t4GBq3NcbOSAv/BxXF7ILeibK6ASSkxVwUHvmipRvrlwiL7j
        h2arn/q19zwwFEnjbQywBuG4RA+vB1p/3hAUzczP+iC0nfZMeuKfBIOhAoGAO8bG
        dEzHm/GUu5GuI+RlyOCm7SPRdn+/aMzOFQMR68vQytH8uDPgOQjlbUsKumIf6wlP
        fTWWPhQi28lPDERnt8a1uhxRhaaSbv1Y6QqIYUIJPe+G51Ke4ORXmkIlLS9f3c1Y
        uVvL5wLeQ77huCd4hmpYjzsE2wJWk6VAZcrIWQECgYEA2G7I1x4KVOc3C25azbdL
        B3lY8nWMQSZLmKm4YQi2898qGpwYA1irajSLKLFPM8kyn0g0YbKPjQrXGlDa71/N
        /bRvFUc0eR5EVRlp+7SAQmWNrBtbYk4Y4b3CEKNfkGRcE56vZlR6VTKIklR4z9Ew
        6NbbGuQCk6sGVpPQWp0Mdco=
        -----END PRIVATE KEY-----
        """,
        // OtherPool
        """
        -----BEGIN PRIVATE KEY-----
        MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQCTSv2X1MyACOAd
        lCAx86bp/Hw28PQE106sZ3Qe74SxSeSsERYl5BBUMxsOl/tdmSN0N+8qi/1/OZ1R
        2iR9balFbezbi8rdTk/u3k/rZxAutztwtPAlE+KmmoZ8EyMgd1AOlGnDLeNxRANN
        j+MIBw0ruHluGc7Vgonhjduvqk345WG2KcsMJz/nXNXuRQUYBX7h3tcPAPkKfN0r
        WCJ4gowPK9ugzAWb0f2UNR+Qm+fgVGNILCnVV9FUamqIJkwzzL/BlxRT1wZqv9v/
        CKCRg4DU+caD7mbbUm/vA5eRqamSqk6P7GXh99GWJuOdbmoKglU8pXL4w9NQEK3v
        UKF6UHMrAgMBAAECggEAAb2cops2sXqpX2AdQ0ncWp6Lv0B4ucfrm5j7Y9Qzzr6P
        T8NB7j+0O7KA6tq78z64jwqMLoYKAGNnawy3aq4Nlo72gh+0TYo74phI/ICyzcKH
        lszkm6ORBaQE29mEDEGstgdl+pMDwZZqrZN6POGMc8xRzw3KBnbs9zfsdTZ/hmX2
        +sDBSVOVpTLDdquBCMIHRPBOvShgDyKCGyUocY5AcYaaCdcAPbDBgTlNhywUuVA8
        Y7Wp7+BX/O1N2n+3byHNxYK4+h85Dhn7zHKuQfkkq0LLtsUaIeN/9/BhLvvK9/jz
        gjJkwFZIs8Oep0WKbivEDS+kq+4UeKtSXLY4ljqLpQKBgQDHkcKe6e8x756YCctw
        dml0BPw5X2/Vrdgrvt6lpv9vIeKlD/wbAX0Vf9k/OK/Bq47fKqFWfE06cCduuBYq
        tfNYl5rZKgs6Y43Mo1ZCAmcSa10KQZj8Iqsbj960Ntz4PaiDOm8hwkx5B70MM/75
        lQ69+7y05hhxLL5k5q7U+y1hBwKBgQC88ReqXxSIAdrHlSgziE2H+0TkREU1X249
        hS1vXHAbg1WWRm24dqKEmE5oCWJZo637IFWPkx91QLcTA+8ZcYpv0bvyKo5sj7Gu
        CbsPgpVcQ8cNYkqKnv5OxdNe2uPYlAAl2hEIYsGk5OhMdRrrrb436OwYSPWfChqU
        YoKhNopnvQKBgQCwXlK/GkK3wOpJty5BX4Rmchltorg1AQPv9SjTALjxP+MKuQu1
        2iTvISOfSbuZzsHe28/lnMirgn52zN1aNZ6vhpvkm9F8corYdOlAQNtSXevFqp9H
        BGRvYUARyAKUp/kKsFOSZCItO/eIl1MYwvBaWeU1gbvMGRzSE0QjGS/LdQKBgQCY
        zEDfP1VTSGytyypfwnMw7TuhfrSZnTuB9RnxXUgsd+HXTc2dyBNWN/XwnOY0p/Ij
        jNqk6c4e/N8RObU7Vl8mXu8nwNK9aNfAb44f1PMFUqq/YCX4ROxUuBdgNpTcqZQV
        CG2N4o/H0ncqnenPfwq+HFgSq643l+w25BPQXFNB4QKBgDmahcYW9DyXaoT03FLf
        aJut612wzSyyAwP1GRQnqbBVfoV8VMQVynSlkILxjk9ATg2901h/yodOuPTwy5+J
        A9TglJzj6jqedkbuYN24rEYQxzP6Moor4A0eV1+CNlVLy431J2p7NebyKyGVLDIM
        ZojLj0L9QN1XPyTDC8sCzpUE
        -----END PRIVATE KEY-----
        """,
        // Stranger
        """
        -----BEGIN PRIVATE KEY-----
        MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQCC0vX4uILE6ECR
        PP40/sUKdlSXvbBvp7rBLdlSoMHzE8xS/QR7gBItVfv+xDx3Emmtm0PQwhwVa7xN
        bH+VE0Ly5Z9uwFN0iBEhDS4JBV/piKFk6mRq25yYfq3JqFzSob/5bIa4aPs33Sje
        gvWMfaZpYTbo9hPgLafhDgRqohNxzste7EcMQnGA5TAq3h6OzwlK0ibMVUYC7rWd
        4DqiKrb3o3xraIi4Oe4D88kWT+FyDelrgkfLkh7EuwznI1oCFSE+rX/I9hvFWpaI
        w1rcaJe+kICgO12pFGbu9O1U6/D0m2/PjzYGbPqP+D+cB6qU6mKBH7vzuVC5K2TF
        PkbDmVg7AgMBAAECggEAAn7NiIvsDeUrR+5HlEiPNX+PTt6M+NlUfaLkSfmXdRkr
        Kq4/EvWc6Pa8wrUI4DdHSNZ60bU6ILkyfA3wVTnrDgmlHf/RCSYfcj7l+ZK1/U83
        iZi7e+CqZKvft+liEJjP3NLvhIn0co8y867Xss5cvefq1kDNKONGDIYeVM+hPZci
        4oM1ozYpxk95CbcrNIHWCmw1XQgmvh8XViZji0vxG/xjm/rXNIh+Ppelv8lzxrjq
        L+sMqHuFHkee45R5P781LV7olUccwv14dpqFZErwHTDO1NBwf91AAAaHVi1lBo7b
        mkH/RfFo3LfaIKBs3cGkPWN6YyBIHQ5JU6gOemVLfQKBgQC43PX6xrTbJdj40nH7
        ym70HMq2sRBzfWhX72qRHCjRkui+Iz0AmkJ0TpWkgI4c7U0vKkTt3odGlCUy+Xto
        99hHAC3Nm9L/SIrb83qzcTwt3WkqDGo+/W7US++FIWw+vxw17W3kfxnJznguDHcf
        +yaN7a73Wxlmjio8Nw1ZIlByzQKBgQC1Ko+/+h5XXAL+jSbBXIve4BnbcW15Krb8
        H3fgC0if5lqqsflpqB+ykUM5/Wyp1PSFeJ/z27XQ+rHRRHEVNxY6OEzcbYXjPuN7
        dGFs7sJ4nen2Cgw41L/qmpwDfn+lL7iz41kIyJ3IvdqZk0lgoKR9E6lDG9WMmgzu
        G7B+6YVHJwKBgQCxrzB/Kh8LxQUXpK8KZTjgSgxOLUKyvwdb/jNf5sEVLy+mEhjA
        S4U0ZZRP2YC/LRfTDb3TJODBZgObS1DjQ9YN6I4d4nicBw3w+8YkU+KT8wzx7Zzx
        jobIZ3SBce6pIOfsrZnC1qfi4SGCoVie1LfqE1rpRhbUDDFsTz31PpY0wQKBgEqb
        TXmk2kvlo4IKxPQKVbuiFGPvkUK92X94whgs7WqUJbB3/JuLVgpmkgXWnKJQBabV
        pyF40KZQJ1xj0CIJfojZWKXKIMIVyv6zTc/bf5DGj2v4dVIOIz7NDwTNWmm/flPu
        g2L/oyLhNJ3cLvKxFSxBJYpycv4lDsAb/RI2vuEvAoGBAJyUIr3sPoTFVwQ9b/13
        c5Mni25cZdQm5p1OI3VWy7CTqMI4lBJ8y0GDFNPKHU6+ASfpdf4qkmYbFeYT2bb3
        k4txlI3nP1AyNK2mczPsExkilLM+WMJMH47BlB5lWGpu/a8VxJjqqqSSM0bzeqXp
        0/AIDNUOeRvqepaSSUuobY1W
        -----END PRIVATE KEY-----
        """,
        // SecondDefault
        """
        -----BEGIN PRIVATE KEY-----
        MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQDiulbGwhhy6VXa
        24PItEOV5j4CzuLsoRw9os0jhdfF2D0WAYY5AHyi5iAx7/Fn56Ao6YbYSqft7yi2
        U27GZJvR+y3Manx1ltQyF4JATLTmXklsdFoV9q2dCg+TEVJM7GlOjzeaoVedaF2B
        uvU8Qh6j/9TWUAYoTTplXNXf8vltpbPVUdolVCdNnZcBZYSXAFhAG27d8KA9iYMz
        rKC2jNsyIJlVqCXh8KuWOGHSxzLFRXbLHFEsbpj4rpOEidzExTmpskPr8Joj9LHm
        heM/9vWluRKqEWbPlHF+Af9JAwyj4kKQdvOr6N7duQZRxQv5BeSVTBScGDf8rh0T
        7JwcmdVBAgMBAAECggEAFZ3vlR6/ZwFhSq8gRvwM75dWtTzVfPs1bpj9lxP1SSs/
        U8BMdFXcDEoFqs02RpJaflwZm7iufyyMxKl6x9ai1qfsq29Bs5JwY+BC7m+B1e8K
        cBk915c/4VequXpuzt/BgJh+FDOq31qqg6p4JEknk7paKB7UH3aRiUWLLMGFT5NN
        du7yGYKdF2HpiQMWkTGKcpm9mUzsswomHLT+dBCsvvGxYR0w1gUGP/0grYRCcVh7
        3p8j/GvpadLCDTQ4/Xdkiq4urMR1xi2f6TFAvUgeMG/5oj9mMbtXsOmuUj8F8yAD
        ckAJF0fSDQAPR2K+CHjD54VvmP6zDw4TXnrcbor8SwKBgQD37Ttt1zXOBADoNnWX
        bBv9Me7Dl/oKtRf2fOMNt8sHqwafmKln3tTgbp7AAkj/TzCdpYJjE/RfyDSuDSeQ
        DKnQTBruPXMQOa/KAgZBhcoXDEV2QXMYBs6Z7IX17WOT/5RpAKi4rnyeW77vrH+3
        rmRrtL18BqSiV9lVWkbsx5ZKMwKBgQDqHGOmXHhAvyzBrtOsq2O0YmFZG0rMMC4l
        5/ejYXK95AtGTF27m1ZzikfucU1Yndh9qCv2bjDFcKC9qmvRNTaYQKhC26dy/KC3
        L9sZhYjuEDIoo6eRvnzl/+yHtjvtUVy4Dt/QIK5X3izMNKTVUTb0p+G9S6xTWCFQ
        n6R1nAnWuwKBgEOD6BYucCmNL44NHpLAzxJxYZsELQRzcnYeZlqa/YA2E9SsZx2x
        Mfl4RmT1elmEgDG+G7bNfVQEGkx3qplwyWG/B+pu84Gso/F4AaogO/twzQ26HxSg
        7ew+2/Av2Fk6VXkOw+OfKLKbO3DbYeBsbk5iZuN6j6TiFX5H2l6qr4O/AoGAc+Zc
        Gxc6XWuHv9dKafhrovj1ksSlMhNENXXyrkrnIEVOo53Y5bEQiqDR3aTwEsgKTqM8
        KIMC2CxbF6rQN8FtZtDTvE28R3v0INyrTqZCVQFlo6LpqYixkrgxpDo+zs1x5plO
        il4zkcKnUO1bEVRkrZiTdECLbrN5ws1WAPegE1MCgYBcG90ZKjOndNHwpXqjW+4z
        Mt7SeAGEEyttcvxhcEucWgmUzD68e4Zp4cXKxlfwdTOI6TLx7cSf6ATfsQLWwiSG
        MvNK6+xdyS0lBhH9r+4ZLUBLIGb/I4z4C05kiY6/aHMj0/X7gwFM0nrBlxnikwr+
        bo0JeLVYpfNV4s5u3hg7xw==
        -----END PRIVATE KEY-----
        """,
    ];
}
