"""正文 as blocks: drop the rich-text body (converted by 0005) and give its name to the blocks."""

import govsite.content.blocks
import wagtail.fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("content", "0005_body_rich_text_to_blocks"),
    ]

    operations = [
        # A default first, so that unapplying this migration can add the rich-text column back to existing rows
        # (PostgreSQL refuses a NOT NULL column without one); 0005 then fills it.
        migrations.AlterField(
            model_name="articlepage", name="body", field=wagtail.fields.RichTextField(default="", verbose_name="正文"),
        ),
        migrations.RemoveField(model_name="articlepage", name="body"),
        migrations.RenameField(model_name="articlepage", old_name="body_blocks", new_name="body"),
        migrations.AlterField(
            model_name="articlepage",
            name="body",
            field=govsite.content.blocks.BodyField([('paragraph', 0), ('heading', 3), ('table', 4), ('image', 8), ('attachment', 11), ('media', 17)], block_lookup={0: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'h2', 'h3', 'h4', 'ol', 'ul', 'hr', 'link', 'document-link', 'image', 'superscript', 'subscript'], 'icon': 'pilcrow', 'label': '文字'}), 1: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('h2', '二级标题'), ('h3', '三级标题'), ('h4', '四级标题')], 'label': '级别'}), 2: ('wagtail.blocks.CharBlock', (), {'label': '标题文字', 'max_length': 200}), 3: ('wagtail.blocks.StructBlock', [[('level', 1), ('text', 2)]], {}), 4: ('govsite.content.blocks.BodyTableBlock', (), {'table_options': {'autoColumnSize': False, 'colHeaders': False, 'contextMenu': ['row_above', 'row_below', '---------', 'col_left', 'col_right', '---------', 'remove_row', 'remove_col', '---------', 'undo', 'redo', '---------', 'mergeCells'], 'editor': 'text', 'height': 216, 'language': 'zh-CN', 'mergeCells': True, 'renderer': 'text', 'rowHeaders': False, 'startCols': 3, 'startRows': 3, 'stretchH': 'all'}}), 5: ('wagtail.images.blocks.ImageChooserBlock', (), {'label': '图片'}), 6: ('wagtail.blocks.CharBlock', (), {'help_text': '向看不到图片的读者说明图片内容，必填。', 'label': '替代文字', 'max_length': 250}), 7: ('wagtail.blocks.CharBlock', (), {'label': '图片说明', 'max_length': 250, 'required': False}), 8: ('wagtail.blocks.StructBlock', [[('image', 5), ('alt', 6), ('caption', 7)]], {}), 9: ('wagtail.documents.blocks.DocumentChooserBlock', (), {'label': '文件'}), 10: ('wagtail.blocks.CharBlock', (), {'label': '附件名称', 'max_length': 200}), 11: ('wagtail.blocks.StructBlock', [[('document', 9), ('title', 10)]], {}), 12: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('audio', '音频'), ('video', '视频')], 'label': '类型'}), 13: ('wagtail.blocks.CharBlock', (), {'label': '标题', 'max_length': 200}), 14: ('wagtail.documents.blocks.DocumentChooserBlock', (), {'label': '媒体文件', 'required': False}), 15: ('wagtail.blocks.URLBlock', (), {'help_text': '未上传文件时填写。', 'label': '媒体地址', 'required': False}), 16: ('wagtail.blocks.TextBlock', (), {'help_text': '音频、视频的文字内容，供无法收听或观看的读者阅读。', 'label': '文字稿'}), 17: ('wagtail.blocks.StructBlock', [[('kind', 12), ('title', 13), ('document', 14), ('url', 15), ('transcript', 16)]], {})}, verbose_name='正文'),
        ),
    ]
