from reports.importing.clean import clean_lines, is_noise, normalise_punctuation, to_simplified


def test_web_noise_lines_are_removed():
    text = "\n".join(
        [
            "首页 > 工作动态 > 工作总结",
            "当前位置：首页 » 政务公开",
            "发布时间: 2023-07-12 09:30:00 点击量: 1024 【字体:大 中 小】",
            "来源：区卫健委  作者：办公室",
            "分享到: 微信 微博 QQ空间",
            "扫一扫在手机打开当前页",
            "【关闭】【打印】【下载】",
            "关闭 打印 下载",
            "第 2 页 共 5 页",
            "- 3 -",
            "上一篇：关于做好春节期间医疗保障的通知",
            "TOP",
            "一、工作开展情况",
        ]
    )
    cleaned = clean_lines(text)
    assert cleaned.lines == ["一、工作开展情况"]
    assert "12 lines" in str(cleaned.notices[-1])


def test_report_sentences_that_mention_noise_words_are_kept():
    line = "全年发布微信公众号信息120条，扫一扫关注量增长明显，群众知晓率不断提高，健康教育覆盖面持续扩大，各项工作扎实推进。"
    assert not is_noise(normalise_punctuation(line))
    assert not is_noise("一、下载量统计工作情况")


def test_inline_buttons_are_cut_from_a_line():
    assert clean_lines("全年开展义诊20次。【打印】【关闭】").lines == ["全年开展义诊20次。"]


def test_traditional_is_converted_and_pinyin_glosses_dropped():
    cleaned = clean_lines("一、工作總結(jié)\n宣州區(qū)衛(wèi)生健康委員會(huì)全年開展義診")
    assert cleaned.lines == ["一、工作总结", "宣州区卫生健康委员会全年开展义诊"]
    assert cleaned.converted
    assert any("pinyin" in str(n) for n in cleaned.notices)


def test_a_gloss_needs_a_tone_mark_so_bracketed_latin_stays():
    assert clean_lines("通过国际（JCI）认证，开展(PCR)检测").lines == ["通过国际（JCI）认证，开展（PCR）检测"]


def test_simplified_text_is_left_alone():
    text = "全区卫生健康工作稳步推进"
    assert to_simplified(text) == (text, False)


def test_punctuation_full_and_half_width_alike():
    assert (
        normalise_punctuation("（一）疫情防控,稳步推进;完成率１００％:好") == "（一）疫情防控，稳步推进；完成率100%：好"
    )
    assert normalise_punctuation("(二)核酸检测12,538人,15:08完成") == "（二）核酸检测12,538人，15:08完成"
    assert normalise_punctuation("3月27 日以来，面积 19300 ㎡，PCR 检测") == "3月27日以来，面积19300㎡，PCR检测"


def test_lost_characters_are_reported():
    assert any("lost" in str(n) for n in clean_lines("三级精神??医院").notices)


def test_control_characters_and_line_endings():
    assert clean_lines("一、工作\r\n\x07全年\u3000完成\r\ufeff二、计划").lines == ["一、工作", "全年完成", "二、计划"]


def test_headings_and_figures_with_noise_words_stay():
    for line in ("（三）推广健康码二维码应用", "（二）关闭违规诊所12家", "血压>140/90的患者>200人", "3.下载量统计"):
        assert not is_noise(normalise_punctuation(line)), line
    assert is_noise("首页 » 政务公开 » 工作总结")
    assert is_noise("扫描二维码关注我们")


def test_file_encodings():
    import pytest

    from reports.importing.sources import SourceError, decode_text, read_source

    text = "一、工作情况\n全年开展义诊20次。"
    for data in (
        text.encode("utf-8"),
        b"\xef\xbb\xbf" + text.encode("utf-8"),
        text.encode("gb18030"),
        text.encode("utf-16"),
    ):
        assert decode_text(data) == text
    with pytest.raises(SourceError, match="position"):
        decode_text(b"abc\x00def")
    with pytest.raises(SourceError, match=".txt and .docx"):
        read_source("report.pdf", b"%PDF")
